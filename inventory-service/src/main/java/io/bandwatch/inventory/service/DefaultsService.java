package io.bandwatch.inventory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bandwatch.inventory.domain.OrgIperf3Defaults;
import io.bandwatch.inventory.repository.OrgDefaultsRepository;
import io.bandwatch.inventory.repository.OrganizationRepository;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.inventory.api.Models.DefaultsView;
import io.bandwatch.inventory.api.Models.ImportResult;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.platform.security.Role;
import io.bandwatch.platform.security.SecretBox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Per-organization iperf3 configuration: OpenWISP Monitoring's {@code OPENWISP_MONITORING_IPERF3_CHECK_CONFIG}
 * entry of the organization ({@code host}, {@code client_options}, {@code username}, {@code password},
 * {@code rsa_public_key}). A change re-publishes the organization's iperf3 checks with their new effective options.
 */
@ApplicationScoped
public class DefaultsService {

    @Inject
    Pool pool;
    @Inject
    OrgDefaultsRepository defaults;
    @Inject
    OrganizationRepository organizations;
    @Inject
    CheckService checks;
    @Inject
    SecretBox box;

    public Uni<DefaultsView> get(Caller caller, UUID org) {
        caller.require(org, Role.VIEWER, "organization");
        return pool.withConnection(conn -> organizations.find(conn, org).chain(o -> {
            if (o == null) {
                throw ProblemException.notFound("organization");
            }
            return defaults.find(conn, org);
        })).map(d -> view(org, d));
    }

    static DefaultsView view(UUID org, OrgIperf3Defaults d) {
        return d == null ? new DefaultsView(org, JsonNodeFactory.instance.objectNode(), false, 0)
                : new DefaultsView(org, Mappers.tree(d.config), d.authSecret != null, d.version);
    }

    public Uni<DefaultsView> put(Caller caller, UUID org, Long ifMatch, JsonNode doc) {
        caller.require(org, Role.OWNER, "organization");
        CheckParams.iperf3(doc, "");
        return pool.withTransaction(conn -> apply(conn, org, ifMatch, doc)).map(d -> view(org, d));
    }

    /** OpenWISP's whole IPERF3_CHECK_CONFIG document: every organization in it, atomically. */
    public Uni<ImportResult> importOpenWisp(Caller caller, JsonNode document) {
        if (document == null || !document.isObject() || document.isEmpty()) {
            throw ProblemException.validation("body", "must be an object of organization id to iperf3 configuration");
        }
        List<UUID> orgs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = document.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            UUID org;
            try {
                org = UUID.fromString(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw ProblemException.validation(e.getKey(), "not an organization id");
            }
            caller.require(org, Role.OWNER, "organization");
            CheckParams.iperf3(e.getValue(), e.getKey());
            orgs.add(org);
        }
        return pool.withTransaction(conn -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (UUID org : orgs) {
                chain = chain.chain(() -> apply(conn, org, null, document.get(org.toString())).replaceWithVoid());
            }
            return chain;
        }).replaceWith(new ImportResult(orgs));
    }

    private Uni<OrgIperf3Defaults> apply(SqlClient conn, UUID org, Long ifMatch, JsonNode doc) {
        return organizations.find(conn, org).chain(o -> {
            if (o == null) {
                throw ProblemException.notFound("organization");
            }
            return defaults.find(conn, org);
        }).chain(existing -> {
            if (ifMatch != null && ifMatch != (existing == null ? 0 : existing.version)) {
                throw ProblemException.preconditionFailed("version " + ifMatch + " is stale");
            }
            OrgIperf3Defaults d = existing == null ? new OrgIperf3Defaults() : existing;
            d.organizationId = org;
            ObjectNode publicPart = CheckParams.publicPart(doc);
            ObjectNode secret = CheckParams.secretPart(doc);
            d.config = publicPart.toString();
            d.authSecret = secret == null ? null : box.encrypt(secret.toString(), "iperf3-defaults:" + org);
            d.updatedAt = Support.now();
            Uni<Void> save = existing == null ? defaults.insert(conn, d) : defaults.update(conn, d);
            return save.chain(() -> checks.republishIperf3(conn, org)).replaceWith(d);
        });
    }
}
