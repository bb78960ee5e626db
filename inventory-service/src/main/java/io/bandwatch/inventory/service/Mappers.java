package io.bandwatch.inventory.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.DeviceSnapshot;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.Iperf3ServerSnapshot;
import io.bandwatch.events.PingOptions;
import io.bandwatch.events.Schedule;
import io.bandwatch.events.SshAuthMethod;
import io.bandwatch.inventory.domain.CheckDef;
import io.bandwatch.inventory.domain.Device;
import io.bandwatch.inventory.domain.Iperf3Server;
import io.bandwatch.inventory.domain.Organization;
import io.bandwatch.inventory.api.Models.CheckView;
import io.bandwatch.inventory.api.Models.DeviceView;
import io.bandwatch.inventory.api.Models.OrganizationView;
import io.bandwatch.inventory.api.Models.ScheduleBody;
import io.bandwatch.inventory.api.Models.ServerView;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Entities to API views and to the event records of {@code events/}; secrets never cross. */
public final class Mappers {

    /** Stored JSON (tags, organization lists, parameters, decrypted secrets) in the event configuration. */
    private static final ObjectMapper JSON = EventJson.mapper();

    private Mappers() {
    }

    /** A stored JSON document as a tree (null stays null). */
    public static JsonNode tree(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }

    public static List<String> tags(Device d) {
        return readList(d.tags, new TypeReference<List<String>>() { });
    }

    public static List<UUID> orgIds(Iperf3Server s) {
        return readList(s.organizationIds, new TypeReference<List<UUID>>() { });
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> List<T> readList(String json, TypeReference<List<T>> type) {
        try {
            return json == null ? List.of() : JSON.readValue(json, type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored JSON list does not parse", e);
        }
    }

    public static OrganizationView view(Organization o) {
        return new OrganizationView(o.id, o.name, o.enabled, o.version, o.createdAt, o.updatedAt);
    }

    public static DeviceView view(Device d, String health) {
        return new DeviceView(d.id, d.organizationId, d.name, d.address, d.sshPort, d.sshUser, d.authMethod,
                d.hostKeyFingerprint, tags(d), d.enabled, health == null ? "unknown" : health, d.version, d.createdAt,
                d.updatedAt);
    }

    /** The organizations of a shared server that the caller may know of (all for null = superuser). */
    public static ServerView view(Iperf3Server s, Set<UUID> visibleOrgs) {
        List<UUID> orgs = orgIds(s).stream().filter(o -> visibleOrgs == null || visibleOrgs.contains(o)).toList();
        return new ServerView(s.id, orgs, s.host, s.port, s.enabled, s.authUsername, s.authUsername != null,
                s.version, s.createdAt, s.updatedAt);
    }

    public static Schedule schedule(CheckDef c) {
        return new Schedule(c.cron, c.timeZone, c.intervalSeconds == null ? null : Duration.ofSeconds(c.intervalSeconds),
                Duration.ofSeconds(c.randomSlipSeconds));
    }

    public static ScheduleBody scheduleView(CheckDef c) {
        Schedule s = schedule(c);
        return new ScheduleBody(s.cron(), s.timeZone(), s.interval(), s.randomSlip());
    }

    /** Effective parameters of a check given its organization's iperf3 configuration (may be null). */
    public static Object effective(CheckDef c, JsonNode orgConfig) {
        if (CheckType.IPERF3.jsonName().equals(c.type)) {
            return CheckParams.effectiveIperf3(tree(c.params), orgConfig);
        }
        return CheckParams.ping(tree(c.params), "params");
    }

    public static CheckView view(CheckDef c, JsonNode orgConfig) {
        return new CheckView(c.id, c.organizationId, c.deviceId, c.name, c.type, tree(c.params),
                c.authSecret != null, JSON.valueToTree(effective(c, orgConfig)), scheduleView(c), c.active,
                c.version, c.createdAt, c.updatedAt);
    }

    public static DeviceSnapshot snapshot(Device d) {
        return new DeviceSnapshot(d.id, d.organizationId, d.name, d.address, d.sshPort, d.sshUser,
                SshAuthMethod.valueOf(d.authMethod.toUpperCase(Locale.ROOT)), d.hostKeyFingerprint, tags(d), d.enabled,
                d.version, d.updatedAt);
    }

    public static Iperf3ServerSnapshot snapshot(Iperf3Server s) {
        return new Iperf3ServerSnapshot(s.id, orgIds(s), s.host, s.port, s.enabled, s.authUsername != null, s.version,
                s.updatedAt);
    }

    public static CheckSnapshot snapshot(CheckDef c, JsonNode orgConfig) {
        Object effective = effective(c, orgConfig);
        boolean iperf3 = effective instanceof Iperf3Options;
        return new CheckSnapshot(c.id, c.organizationId, c.deviceId, iperf3 ? CheckType.IPERF3 : CheckType.PING,
                schedule(c), c.active, c.version, c.updatedAt, iperf3 ? (Iperf3Options) effective : null,
                iperf3 ? null : (PingOptions) effective);
    }
}
