package org.licensim.bench;

import org.licensim.core.engine.Engine;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.rules.DynamicMembership;

/** licensim's engine: a fresh state store and {@link Engine#reconcile()} (phase 1 parallel, phase 2 R11 seats). */
final class EngineResolver implements Resolver {
    private final BenchTenant tenant;
    private final ChangeFeed feed = new ChangeFeed();
    private Engine engine;

    EngineResolver(BenchTenant tenant) {
        this.tenant = tenant;
        feed.setEnabled(false);
    }

    @Override
    public void resolve() {
        // memberships are already evaluated; the rule language is benchmarked on its own
        engine = Engine.builder(tenant.tenant).membership(DynamicMembership.MEMBER_LISTS).feed(feed).reconcile();
    }

    @Override
    public long fingerprint() {
        return PeerInput.fingerprint(engine);
    }

    Engine engine() {
        return engine;
    }
}
