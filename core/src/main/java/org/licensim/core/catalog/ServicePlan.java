package org.licensim.core.catalog;

import java.util.List;

/**
 * A service plan ({@code servicePlanInfo} in Graph). Identity is the GUID: Microsoft's table
 * spells a few plans two ways (e.g. a trailing space), so {@code aliases} keeps every spelling
 * seen and {@code name} is the most frequent one.
 *
 * @param index dense index in the catalog, 0..planCount-1
 */
public record ServicePlan(int index, String servicePlanId, String servicePlanName, String friendlyName,
                          List<String> aliases) {

    /**
     * The plan as people read it, the way products are named: Microsoft's friendly name with the
     * internal name beside it ("Microsoft 365 Apps for enterprise (OFFICESUBSCRIPTION)"), the
     * friendly name alone when it is the internal name in other letters ("Sway"), or the internal
     * name alone when the table gives no other.
     */
    public String label() {
        String f = friendlyName == null ? "" : friendlyName.strip();
        return f.isEmpty() ? servicePlanName : f.equalsIgnoreCase(servicePlanName) ? f : f + " (" + servicePlanName + ")";
    }
}
