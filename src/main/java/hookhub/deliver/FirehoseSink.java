package hookhub.deliver;

import hookhub.store.Batch;
import hookhub.store.BatchPolicy;
import hookhub.store.StoredEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * Kinesis Data Firehose through Camel's aws2-kinesis-firehose producer ({@code sendBatchRecord}). Camel passes a
 * list straight to PutRecordBatch and reports partial failure only in a header, so this sink does what Firehose
 * requires: calls within every limit (500 records, 4 MiB per call, 1,000 KiB per record), a record over the limit
 * refused for good (a dead letter with the reason) without blocking its batch, and only the records Firehose failed
 * resent, with exponential backoff and jitter. Each record is one newline-terminated JSON record carrying its stable
 * id, so a downstream index can absorb a repeat after a crash.
 */
public final class FirehoseSink implements Sink {

    static final int MAX_RECORDS_PER_CALL = 500;
    static final int MAX_BYTES_PER_CALL = 4 * 1024 * 1024;
    static final int MAX_RECORD_BYTES = 1_024_000;

    /** One Firehose record and the events it carries (one, or several when packing). */
    private record Item(byte[] data, List<StoredEvent> events) {
    }

    private final ProducerTemplate producer;
    private final FirehoseSettings settings;
    private final String uri;

    public FirehoseSink(ProducerTemplate producer, FirehoseSettings settings) {
        this.producer = producer;
        this.settings = settings;
        this.uri = settings.endpointUri();
    }

    @Override
    public String name() {
        return "firehose";
    }

    @Override
    public Optional<BatchPolicy> ownBatch() {
        return Optional.of(settings.batch());
    }

    @Override
    public DeliveryOutcome deliver(Batch batch) {
        Map<StoredEvent, String> refused = new LinkedHashMap<>();
        List<Item> items = items(batch.events(), refused);
        List<StoredEvent> delivered = new ArrayList<>();
        List<StoredEvent> failed = new ArrayList<>();
        String failure = null;
        for (List<Item> call : calls(items)) {
            List<Item> pending = call;
            for (int attempt = 0; !pending.isEmpty() && attempt <= settings.maxRetries(); attempt++) {
                if (attempt > 0) {
                    sleep(attempt);
                }
                List<Item> sent = pending;
                List<Item> again = new ArrayList<>();
                try {
                    PutRecordBatchResponse response = producer.requestBody(uri, records(sent), PutRecordBatchResponse.class);
                    List<PutRecordBatchResponseEntry> answers = response.requestResponses();
                    for (int i = 0; i < sent.size(); i++) {
                        PutRecordBatchResponseEntry answer = i < answers.size() ? answers.get(i) : null;
                        if (answer == null || answer.errorCode() != null) {
                            again.add(sent.get(i));
                            failure = answer == null ? "missing response entry" : answer.errorCode() + ": " + answer.errorMessage();
                        } else {
                            delivered.addAll(sent.get(i).events());
                        }
                    }
                } catch (CamelExecutionException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    failure = cause.getClass().getSimpleName() + ": " + cause.getMessage();
                    again = sent; // throttled, 5xx or unreachable: the whole call is resent
                }
                pending = again;
            }
            pending.forEach(item -> failed.addAll(item.events()));
        }
        return new DeliveryOutcome(delivered, failed, failure, refused);
    }

    /** Newline-terminated records; events over the record limit are refused, small ones packed when configured. */
    private List<Item> items(List<StoredEvent> events, Map<StoredEvent, String> refused) {
        List<Item> items = new ArrayList<>();
        List<StoredEvent> packed = new ArrayList<>();
        java.io.ByteArrayOutputStream pack = new java.io.ByteArrayOutputStream();
        for (StoredEvent e : events) {
            byte[] line = java.util.Arrays.copyOf(e.line(), e.line().length + 1);
            line[line.length - 1] = '\n';
            if (line.length > MAX_RECORD_BYTES) {
                refused.put(e, "record of " + line.length + " bytes is over Firehose's limit of " + MAX_RECORD_BYTES + " bytes");
                continue;
            }
            if (settings.packBytes() <= 0) {
                items.add(new Item(line, List.of(e)));
                continue;
            }
            int limit = Math.min(settings.packBytes(), MAX_RECORD_BYTES);
            if (pack.size() > 0 && pack.size() + line.length > limit) {
                items.add(new Item(pack.toByteArray(), List.copyOf(packed)));
                pack.reset();
                packed.clear();
            }
            pack.writeBytes(line);
            packed.add(e);
        }
        if (pack.size() > 0) {
            items.add(new Item(pack.toByteArray(), List.copyOf(packed)));
        }
        return items;
    }

    /** Splits records into PutRecordBatch calls of at most 500 records and 4 MiB. */
    static <T> List<List<T>> chunks(List<T> all, java.util.function.ToIntFunction<T> size) {
        List<List<T>> calls = new ArrayList<>();
        List<T> current = new ArrayList<>();
        long bytes = 0;
        for (T item : all) {
            int n = size.applyAsInt(item);
            if (!current.isEmpty() && (current.size() == MAX_RECORDS_PER_CALL || bytes + n > MAX_BYTES_PER_CALL)) {
                calls.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(item);
            bytes += n;
        }
        if (!current.isEmpty()) {
            calls.add(current);
        }
        return calls;
    }

    private static List<List<Item>> calls(List<Item> items) {
        return chunks(items, item -> item.data().length);
    }

    private static List<Record> records(List<Item> items) {
        List<Record> records = new ArrayList<>(items.size());
        for (Item item : items) {
            records.add(Record.builder().data(SdkBytes.fromByteArray(item.data())).build());
        }
        return records;
    }

    /** Exponential backoff with jitter between resends: about 100 ms, 200 ms, 400 ms … capped at 5 s. */
    private static void sleep(int attempt) {
        long cap = Math.min(5000, 100L << Math.min(attempt - 1, 6));
        try {
            Thread.sleep(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
