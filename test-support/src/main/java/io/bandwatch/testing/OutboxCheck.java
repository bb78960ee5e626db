package io.bandwatch.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Compares what a topic received for a set of keys with what the outbox was given, per key in commit order:
 * every event exactly once, per key in that order, and the key's last record the last state (a tombstone where
 * the object was deleted), which is what the compacted topic keeps. The figures of the two-relay tests.
 */
public final class OutboxCheck {

    /** The identity of a tombstone in the expected sequences. */
    public static final String TOMBSTONE = "tombstone";

    /**
     * @param events          records of the keys received
     * @param keys            keys changed
     * @param duplicates      records received more than once (same identity, or same {@code ce_id}, for a key)
     * @param orderViolations records that arrived after a record committed later for their key
     * @param missing         expected events never received
     * @param wrongLastState  keys whose last record is not their last state
     */
    public record Report(int events, int keys, int duplicates, int orderViolations, int missing, int wrongLastState,
            List<String> problems) {

        /** Throws unless exactly {@code changes} events arrived, once each, in order, ending at the last states. */
        public void assertExact(int changes) {
            if (events != changes || duplicates != 0 || orderViolations != 0 || missing != 0 || wrongLastState != 0) {
                throw new AssertionError("expected " + changes + " events once each, in commit order per key: "
                        + summary());
            }
        }

        public String summary() {
            return "events " + events + ", keys " + keys + ", duplicates " + duplicates + ", order violations "
                    + orderViolations + ", missing " + missing + ", keys not ending at their last state "
                    + wrongLastState + (problems.isEmpty() ? "" : "; first problems: " + problems);
        }
    }

    private OutboxCheck() {
    }

    /** True once every key has received at least as many records as it has expected events. */
    public static boolean complete(Map<String, List<String>> expected, List<ConsumerRecord<String, String>> records) {
        Map<String, Integer> received = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            if (expected.containsKey(r.key())) {
                received.merge(r.key(), 1, Integer::sum);
            }
        }
        return expected.entrySet().stream().allMatch(e -> received.getOrDefault(e.getKey(), 0) >= e.getValue().size());
    }

    /**
     * @param expected per key, the identities of its events in commit order ({@link #TOMBSTONE} for a tombstone)
     * @param records  the topic's records in poll order (a key lives in one partition: per key, offset order)
     * @param identity the identity of a record's value (e.g. a snapshot's version)
     */
    public static Report check(Map<String, List<String>> expected, List<ConsumerRecord<String, String>> records,
            Function<String, String> identity) {
        Map<String, List<ConsumerRecord<String, String>>> byKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            if (expected.containsKey(r.key())) {
                byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
            }
        }
        int events = 0;
        int duplicates = 0;
        int order = 0;
        int missing = 0;
        int lastState = 0;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<String> want = e.getValue();
            List<ConsumerRecord<String, String>> got = byKey.getOrDefault(e.getKey(), List.of());
            events += got.size();
            Set<String> seen = new HashSet<>();
            Set<String> ceIds = new HashSet<>();
            int highest = -1;
            String last = null;
            for (ConsumerRecord<String, String> r : got) {
                String id = r.value() == null ? TOMBSTONE : identity.apply(r.value());
                last = id;
                Header ceId = r.headers().lastHeader("ce_id");
                boolean again = !seen.add(id)
                        || (ceId != null && !ceIds.add(new String(ceId.value(), StandardCharsets.UTF_8)));
                if (again) {
                    duplicates++;
                    note(problems, "key " + e.getKey() + ": " + id + " again at offset " + r.offset());
                    continue;
                }
                int at = want.indexOf(id);
                if (at < 0) {
                    note(problems, "key " + e.getKey() + ": unexpected " + id + " at offset " + r.offset());
                } else if (at < highest) {
                    order++;
                    note(problems, "key " + e.getKey() + ": " + id + " after " + want.get(highest));
                } else {
                    highest = at;
                }
            }
            for (String id : want) {
                if (!seen.contains(id)) {
                    missing++;
                    note(problems, "key " + e.getKey() + ": " + id + " never arrived");
                }
            }
            if (!want.isEmpty() && !want.get(want.size() - 1).equals(last)) {
                lastState++;
                note(problems, "key " + e.getKey() + " ends at " + last + ", not " + want.get(want.size() - 1));
            }
        }
        return new Report(events, expected.size(), duplicates, order, missing, lastState, List.copyOf(problems));
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < 10) {
            problems.add(problem);
        }
    }
}
