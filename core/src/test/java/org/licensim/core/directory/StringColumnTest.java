package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A unique-valued column keeps strings until codes are asked for, then has the codes eager interning gives. */
class StringColumnTest {
    static final String[] MAILS = {"ann@contoso.com", null, "bob@contoso.com", "ann@contoso.com", "cy@contoso.com"};

    @Test
    @DisplayName("the mail column encodes on first use to the codes of a column interning from the start")
    void encodedOnFirstUseAsIfEager() {
        StringColumn mail = new StringColumn("mail", 2);
        StringColumn department = new StringColumn("department", 2);
        assertFalse(mail.isEncoded());
        assertTrue(department.isEncoded());
        for (int u = 0; u < MAILS.length; u++) {
            mail.set(u, MAILS[u]);
            department.set(u, MAILS[u]); // the same values through an eagerly interning column
        }
        StringColumn before = mail.copy();
        for (int u = 0; u < MAILS.length; u++) {
            assertEquals(MAILS[u], mail.get(u));
        }
        assertNull(mail.get(1000));
        assertFalse(mail.isEncoded());

        // several rule workers asking at once make one dictionary
        int[][] seen = new int[4][];
        IntStream.range(0, 4).parallel().forEach(w -> seen[w] = IntStream.range(0, MAILS.length).map(mail::code).toArray());
        assertTrue(mail.isEncoded());
        int[] eager = IntStream.range(0, MAILS.length).map(department::code).toArray();
        for (int[] s : seen) {
            assertArrayEquals(eager, s);
        }
        assertEquals(Dictionary.NULL, mail.code(1));
        assertEquals(mail.code(0), mail.code(3));
        assertEquals(department.dictionary().size(), mail.dictionary().size());
        for (int u = 0; u < MAILS.length; u++) {
            assertEquals(MAILS[u], mail.get(u));
        }

        // writes after the switch intern; the copy made before it still keeps strings, apart
        mail.set(7, "dee@contoso.com");
        department.set(7, "dee@contoso.com");
        assertEquals(department.code(7), mail.code(7));
        assertEquals(Dictionary.NULL, mail.code(6));
        assertFalse(before.isEncoded());
        assertNull(before.get(7));
        before.set(1, "eve@contoso.com");
        assertNull(mail.get(1));
        assertEquals("eve@contoso.com", before.get(1));
        StringColumn after = mail.copy();
        assertTrue(after.isEncoded());
        after.set(0, "zed@contoso.com");
        assertEquals("ann@contoso.com", mail.get(0));
        assertEquals(mail.code(3), mail.dictionary().find("ann@contoso.com"));
    }
}
