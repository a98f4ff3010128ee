package org.licensim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.ChildJvm;

/** licensim's output on a machine whose locale writes numbers another way (German: "1.000", "97,5"). */
class LocaleTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("under a German locale every number is still written the English way: no \"1.000 users\" beside \"24,571 of 25,200\"")
    void numbersStayEnglish() throws Exception {
        Path out = dir.resolve("small");
        Process p = ChildJvm.start(ChildJvm.command("org.licensim.cli.Main", List.of("-Duser.language=de",
                "-Duser.country=DE", "-Xmx512m"), "simulate", "small", "--out", out.toString(), "-q"));
        ChildJvm.Seen seen = ChildJvm.read(p, null, System.nanoTime() + TimeUnit.MINUTES.toNanos(2));
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), seen.all());
        assertEquals(0, p.exitValue(), seen.all());
        assertTrue(seen.all().contains("simulated \"small\": 1,000 users on day 0, 1,031 on day 90"), seen.all());
        assertTrue(seen.all().matches("(?s).*\\n  1,325 events in \\d+\\.\\d s .*"), seen.all());
        assertTrue(seen.all().contains("  ENTERPRISEPACK                800        799 day 44 (2026-02-18)"), seen.all());
        assertTrue(Files.readString(out.resolve("days.csv")).contains("\n0,2026-01-05,ENTERPRISEPACK,Office 365 E3,792,800,"));
    }
}
