package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Case-folded codes are the same whenever they are first asked for: before, between or after the values. */
class DictionaryTest {
    static final List<String> VALUES = List.of("Sales", "IT", "sales", "Marketing", "SALES", "it", "Finance");

    static int[] folded(Dictionary d) {
        int[] out = new int[VALUES.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.foldedCode(d.find(VALUES.get(i)));
        }
        return out;
    }

    @Test
    @DisplayName("folding made on first use gives the codes folding from the start gives, and keeps up with values added later")
    void lazyFoldingIsEagerFolding() {
        // eager: every value folded as it is interned (folding asked for before any value), as
        // dictionaries did until 2026-12-01; a rule compiled after three values interns a constant
        Dictionary eager = new Dictionary();
        eager.foldedValues();
        VALUES.subList(0, 3).forEach(eager::intern);
        int constant = eager.foldedValues().intern("finance");
        VALUES.subList(3, VALUES.size()).forEach(eager::intern);
        // lazy: nothing folded until the rule asks
        Dictionary lazy = new Dictionary();
        VALUES.subList(0, 3).forEach(lazy::intern);
        assertEquals(constant, lazy.foldedValues().intern("finance"));
        VALUES.subList(3, VALUES.size()).forEach(lazy::intern);
        assertEquals(java.util.Arrays.toString(folded(eager)), java.util.Arrays.toString(folded(lazy)));
        assertEquals(constant, lazy.foldedCode(lazy.find("Finance")));

        Dictionary late = new Dictionary();
        VALUES.subList(0, 3).forEach(late::intern);
        Dictionary copy = late.copy();
        int sales = late.foldedCode(late.find("Sales")); // folding starts here, with three values in
        VALUES.subList(3, VALUES.size()).forEach(late::intern);
        assertEquals(sales, late.foldedCode(late.find("SALES")));
        assertEquals(late.foldedCode(late.find("IT")), late.foldedCode(late.find("it")));
        assertNotEquals(late.foldedCode(late.find("IT")), sales);
        assertEquals("sales", late.foldedValues().value(sales));
        assertEquals(Dictionary.NULL, late.foldedCode(Dictionary.NULL));
        // a copy made before folding folds on its own, to the same codes
        VALUES.subList(3, VALUES.size()).forEach(copy::intern);
        assertEquals(java.util.Arrays.toString(folded(late)), java.util.Arrays.toString(folded(copy)));
    }
}
