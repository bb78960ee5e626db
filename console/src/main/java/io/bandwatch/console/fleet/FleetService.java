package io.bandwatch.console.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bandwatch.console.client.Service;
import io.bandwatch.console.client.ServiceClient;
import io.bandwatch.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The fleet overview, assembled from the services as the signed-in user (each service authorizes its part):
 * one page of devices from inventory, their last values from metrics and last runs from the runner (one bulk
 * call each, side by side), the failing-metric filter from alert. A part whose service is down is left null
 * and named in {@code unavailable}; the rest of the page still works.
 */
@ApplicationScoped
public class FleetService {

    /** Ids per bulk call: 80 UUIDs keep a URL under the 4096-character request line of the services. */
    static final int CHUNK = 80;
    /** At most this many failing devices are listed (alert answers up to 10 000). */
    static final int MAX_FAILING = 2000;
    static final Set<String> HEALTH = Set.of("ok", "problem", "critical", "unknown");
    static final Set<String> SORTS = Set.of("name", "-name", "address", "-address", "created_at", "-created_at",
            "updated_at", "-updated_at");
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Inject
    ServiceClient client;

    public record Query(String organizationId, String health, String failingField, String tag, String q, String sort,
            int page, int size) {
    }

    public Uni<ObjectNode> fleet(Query query, String jwt) {
        if (query.health() != null && !HEALTH.contains(query.health())) {
            throw ProblemException.validation("health", "must be one of ok, problem, critical, unknown");
        }
        String sort = query.sort() == null || query.sort().isBlank() ? "name" : query.sort();
        if (!SORTS.contains(sort)) {
            throw ProblemException.validation("sort", "must be one of name, address, created_at, updated_at (prefix - for descending)");
        }
        Uni<DevicePage> devices = query.failingField() == null || query.failingField().isBlank()
                ? devicePage(query, sort, jwt)
                : failingPage(query, sort, jwt);
        return devices.chain(page -> enrich(page, jwt));
    }

    record DevicePage(List<JsonNode> items, int page, int size, long total) {
    }

    private Uni<DevicePage> devicePage(Query query, String sort, String jwt) {
        StringBuilder path = new StringBuilder("/api/v1/devices?page=").append(query.page()).append("&size=")
                .append(query.size()).append("&sort=").append(enc(sort));
        filters(path, query);
        return client.getJson(Service.INVENTORY, path.toString(), jwt).map(body -> {
            List<JsonNode> items = new ArrayList<>();
            body.path("items").forEach(items::add);
            return new DevicePage(items, query.page(), query.size(), body.path("total").asLong(items.size()));
        });
    }

    /** Devices failing on the field: their ids from alert, the devices (with the other filters) from inventory. */
    private Uni<DevicePage> failingPage(Query query, String sort, String jwt) {
        String path = "/api/v1/failing-devices?field=" + enc(query.failingField())
                + (blank(query.organizationId()) ? "" : "&organization_id=" + enc(query.organizationId()));
        return client.getJson(Service.ALERT, path, jwt).chain(body -> {
            List<String> ids = new ArrayList<>();
            body.path("device_ids").forEach(id -> ids.add(id.asText()));
            if (ids.size() > MAX_FAILING) {
                ids.subList(MAX_FAILING, ids.size()).clear();
            }
            if (ids.isEmpty()) {
                return Uni.createFrom().item(new DevicePage(List.of(), query.page(), query.size(), 0));
            }
            List<Uni<List<JsonNode>>> calls = new ArrayList<>();
            for (List<String> chunk : chunks(ids)) {
                StringBuilder p = new StringBuilder("/api/v1/devices?page=0&size=500");
                filters(p, query);
                chunk.forEach(id -> p.append("&id=").append(enc(id)));
                calls.add(client.getJson(Service.INVENTORY, p.toString(), jwt).map(page -> {
                    List<JsonNode> items = new ArrayList<>();
                    page.path("items").forEach(items::add);
                    return items;
                }));
            }
            return Uni.join().all(calls).andFailFast().map(lists -> {
                List<JsonNode> all = new ArrayList<>();
                lists.forEach(all::addAll);
                all.sort(comparator(sort));
                int from = Math.min(all.size(), query.page() * query.size());
                int to = Math.min(all.size(), from + query.size());
                return new DevicePage(new ArrayList<>(all.subList(from, to)), query.page(), query.size(), all.size());
            });
        });
    }

    static Comparator<JsonNode> comparator(String sort) {
        boolean desc = sort.startsWith("-");
        String field = desc ? sort.substring(1) : sort;
        Comparator<JsonNode> c = Comparator.comparing((JsonNode n) -> n.path(field).asText("").toLowerCase(Locale.ROOT))
                .thenComparing(n -> n.path("id").asText());
        return desc ? c.reversed() : c;
    }

    private static void filters(StringBuilder path, Query query) {
        if (!blank(query.organizationId())) {
            path.append("&organization_id=").append(enc(query.organizationId()));
        }
        if (!blank(query.health())) {
            path.append("&health=").append(enc(query.health()));
        }
        if (!blank(query.tag())) {
            path.append("&tag=").append(enc(query.tag()));
        }
        if (!blank(query.q())) {
            path.append("&q=").append(enc(query.q()));
        }
    }

    /** Adds last values (metrics) and last runs (runner) to the page; a service that fails leaves them null. */
    private Uni<ObjectNode> enrich(DevicePage page, String jwt) {
        List<String> ids = page.items().stream().map(d -> d.path("id").asText()).toList();
        List<String> unavailable = new ArrayList<>();
        Uni<Map<String, JsonNode>> latest = bulk(Service.METRICS, "/api/v1/fleet/latest", ids, jwt, unavailable);
        Uni<Map<String, JsonNode>> runs = bulk(Service.RUNNER, "/api/v1/runs/latest", ids, jwt, unavailable);
        return Uni.combine().all().unis(latest, runs).asTuple().map(t -> {
            ObjectNode out = JSON.objectNode();
            ArrayNode items = out.putArray("items");
            for (JsonNode d : page.items()) {
                String id = d.path("id").asText();
                ObjectNode item = copy(d, "id", "name", "address", "organization_id", "health", "tags", "enabled");
                items.add(item);
                item.set("last", last(t.getItem1().get(id)));
                item.set("last_run", lastRun(t.getItem2().get(id)));
            }
            out.put("page", page.page());
            out.put("size", page.size());
            out.put("total", page.total());
            ArrayNode down = out.putArray("unavailable");
            unavailable.stream().distinct().forEach(down::add);
            return out;
        });
    }

    private Uni<Map<String, JsonNode>> bulk(Service service, String path, List<String> ids, String jwt,
            List<String> unavailable) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<JsonNode>> calls = new ArrayList<>();
        for (List<String> chunk : chunks(ids)) {
            StringBuilder p = new StringBuilder(path).append('?');
            chunk.forEach(id -> p.append("device_id=").append(enc(id)).append('&'));
            p.setLength(p.length() - 1);
            calls.add(client.getJson(service, p.toString(), jwt));
        }
        return Uni.join().all(calls).andFailFast().map(bodies -> {
            Map<String, JsonNode> byDevice = new LinkedHashMap<>();
            bodies.forEach(b -> b.path("items").forEach(n -> byDevice.put(n.path("device_id").asText(), n)));
            return byDevice;
        }).onFailure().recoverWithItem(e -> {
            synchronized (unavailable) {
                unavailable.add(service.displayName());
            }
            return Map.of();
        });
    }

    static JsonNode last(JsonNode m) {
        if (m == null) {
            return JSON.nullNode();
        }
        ObjectNode last = copy(m, "received_bps_tcp", "jitter", "lost_percent", "rtt_avg", "loss", "iperf3_time",
                "ping_time");
        String a = m.path("iperf3_time").asText(null);
        String b = m.path("ping_time").asText(null);
        last.put("time", a == null ? b : b == null ? a : (a.compareTo(b) >= 0 ? a : b));
        return last;
    }

    static JsonNode lastRun(JsonNode r) {
        return r == null ? JSON.nullNode() : copy(r, "status", "error_code", "finished_at", "check_type", "check_id");
    }

    /** The named fields of a service's answer; a missing one becomes JSON null (the contract: null when unknown). */
    static ObjectNode copy(JsonNode source, String... fields) {
        ObjectNode out = JSON.objectNode();
        for (String field : fields) {
            JsonNode value = source.get(field);
            if (value == null) {
                out.putNull(field);
            } else {
                out.set(field, value);
            }
        }
        return out;
    }

    public Uni<ObjectNode> summary(String organizationId, String jwt) {
        List<String> states = List.of("ok", "problem", "critical", "unknown");
        List<Uni<Long>> counts = new ArrayList<>();
        for (String state : states) {
            String path = "/api/v1/devices?page=0&size=1&health=" + state
                    + (blank(organizationId) ? "" : "&organization_id=" + enc(organizationId));
            counts.add(client.getJson(Service.INVENTORY, path, jwt).map(b -> b.path("total").asLong(0)));
        }
        return Uni.join().all(counts).andFailFast().map(values -> {
            ObjectNode out = JSON.objectNode();
            for (int i = 0; i < states.size(); i++) {
                out.put(states.get(i), values.get(i));
            }
            return out;
        });
    }

    public Uni<ObjectNode> slowest(String organizationId, String jwt) {
        String path = "/api/v1/fleet/slowest?limit=10"
                + (blank(organizationId) ? "" : "&organization_id=" + enc(organizationId));
        return client.getJson(Service.METRICS, path, jwt).map(body -> {
            ObjectNode out = JSON.objectNode();
            ArrayNode items = out.putArray("items");
            body.path("items").forEach(n -> items.add(copy(n, "device_id", "name", "organization_id",
                    "median_received_bps_tcp")));
            return out;
        });
    }

    public Uni<JsonNode> capacity(String organizationId, String jwt) {
        return client.getJson(Service.RUNNER, "/api/v1/capacity"
                + (blank(organizationId) ? "" : "?organization_id=" + enc(organizationId)), jwt);
    }

    public Uni<JsonNode> live(UUID checkId, String jwt) {
        return client.getJson(Service.RUNNER, "/api/v1/checks/" + checkId + "/live", jwt);
    }

    static List<List<String>> chunks(List<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += CHUNK) {
            chunks.add(ids.subList(i, Math.min(ids.size(), i + CHUNK)));
        }
        return chunks;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
