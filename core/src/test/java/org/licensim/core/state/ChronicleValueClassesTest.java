package org.licensim.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URL;

import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.values.Values;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Chronicle's value classes come from core's own classes, compiled by the build
 * ({@link ChronicleValueClasses}), not from javac in the process that opens a store.
 */
class ChronicleValueClassesTest {
    @Test
    @DisplayName("the four value classes Chronicle Map needs are in core's classes, and Chronicle hands them out: no javac when a store opens")
    void builtIntoCore() throws Exception {
        URL core = ChronicleValueClasses.class.getProtectionDomain().getCodeSource().getLocation();
        for (String type : ChronicleValueClasses.TYPES) {
            for (String kind : ChronicleValueClasses.KINDS) {
                Class<?> c = Class.forName(type + "$$" + kind);
                assertNotNull(c.getProtectionDomain().getCodeSource(), c + " was defined at run time, not loaded from a class file");
                assertEquals(core, c.getProtectionDomain().getCodeSource().getLocation(), c + " comes from core's classes");
            }
        }
        // what Chronicle hands out when asked for an IntValue is the class the build made
        assertSame(Class.forName(IntValue.class.getName() + "$$Native"), Values.newNativeReference(IntValue.class).getClass());
        assertSame(Class.forName(IntValue.class.getName() + "$$Heap"), Values.newHeapInstance(IntValue.class).getClass());
    }
}
