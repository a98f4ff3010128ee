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
}
