package hookhub.deliver;

import java.util.List;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/**
 * One timer route per enabled sink ({@code deliver-lake}, …) and the store's housekeeping: backlog count for
 * backpressure, bodies no sink needs dropped, and free space beyond a reserve given back to the file system every
 * second; keys older than the dedup window purged every hookhub.dedup.purge-interval.
 */
public final class DeliveryRoutes extends RouteBuilder {

    private final List<DeliveryLoop> loops;
    private final List<String> sinkNames;
    private final long pollMillis;
    private final long purgeMillis;
    private final Processor storeStatistics;
    private final Processor dropBodies;
    private final Processor purgeKeys;
    private final Processor returnFreeSpace;

    public DeliveryRoutes(List<String> sinkNames, List<DeliveryLoop> loops, long pollMillis, long purgeMillis,
            Processor storeStatistics, Processor dropBodies, Processor purgeKeys, Processor returnFreeSpace) {
        this.storeStatistics = storeStatistics;
        this.dropBodies = dropBodies;
        this.purgeKeys = purgeKeys;
        this.returnFreeSpace = returnFreeSpace;
        this.sinkNames = sinkNames;
        this.loops = loops;
        this.pollMillis = pollMillis;
        this.purgeMillis = purgeMillis;
    }

    @Override
    public void configure() {
        for (int i = 0; i < loops.size(); i++) {
            String sink = sinkNames.get(i);
            from("timer:deliver-" + sink + "?delay=500&period=" + pollMillis)
                    .routeId("deliver-" + sink)
                    .routeDescription("Delivers stored events to the " + sink + " sink")
                    .process(loops.get(i));
        }
        from("timer:store-backlog?delay=1000&period=1000")
                .routeId("store-backlog")
                .process(storeStatistics);
        from("timer:store-bodies?delay=1000&period=1000")
                .routeId("store-bodies")
                .routeDescription("Drops the stored bodies of events every sink has confirmed")
                .process(dropBodies);
        from("timer:store-retention?delay=" + purgeMillis + "&period=" + purgeMillis)
                .routeId("store-retention")
                .routeDescription("Forgets keys older than the dedup window whose event every sink has")
                .process(purgeKeys);
        from("timer:store-free-space?delay=1000&period=1000")
                .routeId("store-free-space")
                .routeDescription("Gives the embedded store's free space beyond a reserve back to the file system")
                .process(returnFreeSpace);
    }
}
