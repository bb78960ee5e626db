package io.bandwatch.inventory.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.bandwatch.inventory.domain.CheckDef;
import io.bandwatch.inventory.domain.Device;
import io.bandwatch.inventory.domain.Iperf3Server;
import io.bandwatch.inventory.domain.OrgIperf3Defaults;
import io.bandwatch.inventory.repository.CheckRepository;
import io.bandwatch.inventory.repository.DeviceRepository;
import io.bandwatch.inventory.repository.Iperf3ServerRepository;
import io.bandwatch.inventory.repository.OrgDefaultsRepository;
import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.inventory.api.Models.Iperf3Auth;
import io.bandwatch.inventory.api.Models.RunSecrets;
import io.bandwatch.inventory.api.Models.SshSecrets;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * The runner's view of secrets for one run: the device's SSH login and the iperf3 credentials, decrypted.
 * iperf3 credentials: the server's own when it has them, else the check's (check parameters, then the
 * organization's configuration, as OpenWISP resolves them), else none.
 */
@ApplicationScoped
public class InternalService {

    @Inject
    Pool pool;
    @Inject
    CheckRepository checks;
    @Inject
    DeviceRepository devices;
    @Inject
    Iperf3ServerRepository servers;
    @Inject
    OrgDefaultsRepository defaults;
    @Inject
    DeviceService deviceService;
    @Inject
    CheckService checkService;
    @Inject
    ServerService serverService;

    public Uni<RunSecrets> runSecrets(UUID checkId, UUID serverId) {
        return pool.withConnection(conn -> checks.find(conn, checkId).chain(c -> {
            if (c == null) {
                throw ProblemException.notFound("check");
            }
            Uni<Iperf3Server> server = serverId == null ? Uni.createFrom().nullItem()
                    : servers.find(conn, serverId).map(s -> {
                        if (s == null || !Mappers.orgIds(s).contains(c.organizationId)) {
                            throw ProblemException.notFound("iperf3 server");
                        }
                        return s;
                    });
            return devices.find(conn, c.deviceId).chain(d -> server.chain(s -> defaults.find(conn, c.organizationId)
                    .map(org -> build(c, d, s, org))));
        }));
    }

    private RunSecrets build(CheckDef c, Device d, Iperf3Server s, OrgIperf3Defaults org) {
        JsonNode deviceSecret = deviceService.secret(d);
        SshSecrets ssh = new SshSecrets(d.sshUser, d.authMethod, text(deviceSecret, "private_key"),
                text(deviceSecret, "password"), d.hostKeyFingerprint);
        Iperf3Auth auth = null;
        if (s != null && s.authUsername != null) {
            auth = new Iperf3Auth(s.authUsername, serverService.password(s), s.rsaPublicKey);
        } else if ("iperf3".equals(c.type)) {
            JsonNode orgConfig = org == null ? null : Mappers.tree(org.config);
            String username = CheckParams.effectiveIperf3(Mappers.tree(c.params), orgConfig).username();
            if (username != null) {
                JsonNode checkSecret = checkService.secret(c);
                JsonNode orgSecret = checkService.secret(org);
                String password = CheckParams.effectiveSecret(checkSecret, orgSecret, "password");
                String key = CheckParams.effectiveSecret(checkSecret, orgSecret, "rsa_public_key");
                auth = new Iperf3Auth(username, password, key == null ? null : CheckParams.completePem(key));
            }
        }
        return new RunSecrets(d.id, ssh, auth);
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node == null ? null : node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
