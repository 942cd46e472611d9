package hookhub.deliver;

import hookhub.store.BatchPolicy;

/**
 * hookhub.firehose.*: the Kinesis Data Firehose stream the sink writes to. Credentials come from the AWS default
 * chain, never from here.
 *
 * @param packBytes  0: one event per Firehose record; above 0: several small events per record up to this size
 * @param maxRetries how often one delivery resends the records Firehose failed before leaving them for later
 * @param batch      Firehose's own batch limits (hookhub.firehose.batch.*): one batch is one PutRecordBatch call
 */
public record FirehoseSettings(String stream, String region, String endpoint, int packBytes, int maxRetries,
        BatchPolicy batch) {

    public boolean enabled() {
        return !stream.isBlank();
    }

    String endpointUri() {
        StringBuilder uri = new StringBuilder("aws2-kinesis-firehose://").append(stream)
                .append("?operation=sendBatchRecord")
                .append("&region=").append(region)
                .append("&useDefaultCredentialsProvider=true");
        if (!endpoint.isBlank()) {
            uri.append("&overrideEndpoint=true&uriEndpointOverride=RAW(").append(endpoint).append(")");
        }
        return uri.toString();
    }
}
