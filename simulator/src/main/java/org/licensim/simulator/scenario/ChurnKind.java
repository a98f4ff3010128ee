package org.licensim.simulator.scenario;

import java.util.Arrays;
import java.util.List;

/**
 * The kinds of churn, with the names scenario and churn files give their rates. A switch
 * expression over them (no default) does not compile until it covers every kind: the scenario's
 * rate of each ({@link Scenario.Churn#rate}) and what the populations do for each.
 */
public enum ChurnKind {
    HIRES("hires"),
    LEAVERS("leavers"),
    TRANSFERS("transfers"),
    ATTRIBUTE_EDITS("attributeEdits"),
    MEMBER_EDITS("memberEdits"),
    DIRECT_EDITS("directEdits");

    private final String label;

    ChurnKind(String label) {
        this.label = label;
    }

    /** The name in scenario and churn files ({@code "hires"}). */
    public String label() {
        return label;
    }

    /** Every kind's label, in order. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(ChurnKind::label).toList();
    }
}
