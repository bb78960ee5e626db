package io.bandwatch.runner.it;

import static io.bandwatch.runner.it.Harness.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.Iperf3Metrics;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.lease.Lease;
import io.bandwatch.runner.lease.LeaseManager;
import io.bandwatch.runner.lease.ServerRef;
import io.bandwatch.testing.JwtKeysResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * iperf3 checks end to end on the device test bed: real sshd, real iperf3 clients and servers in network
 * namespaces, the app's runner replica, Kafka in (inventory snapshots, check.requests) and out (check.results).
 */
@QuarkusTest
@QuarkusTestResource(value = JwtKeysResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestBedResource.class, restrictToAnnotatedClass = false)
class Iperf3ChecksTest {

    static final Duration RUN = Duration.ofSeconds(60);

    @Inject
    RunnerConfig config;

    @Inject
    Redis redis;

    @BeforeEach
    void warm() {
        warmUp();
    }

    /** A fresh organization with one device (ed25519 login) and a check against the given hosts or its pool. */
    record Setup(UUID org, UUID device, UUID check) {
    }

    static Setup setup(int deviceIndex, String sshHow, String pinned, Map<String, Object> iperf3Auth, Iperf3Options options,
            int... poolServers) {
        return setup(UUID.randomUUID(), deviceIndex, sshHow, pinned, iperf3Auth, options, poolServers);
    }

    static Setup setup(UUID org, int deviceIndex, String sshHow, String pinned, Map<String, Object> iperf3Auth,
            Iperf3Options options, int... poolServers) {
        for (int j : poolServers) {
            publishServer(List.of(org), j);
        }
        UUID device = publishDevice(org, deviceIndex, pinned);
        UUID check = publishIperf3Check(org, device, options);
        Map<String, Object> ssh = ssh(deviceIndex, sshHow);
        ssh.put("host_key_fingerprint", pinned);
        inventory().secrets(check, secrets(device, ssh, iperf3Auth));
        return new Setup(org, device, check);
    }

    static CheckResult run(Setup s) {
        return runNow(s.org(), s.device(), s.check(), RUN);
    }

    static void assertFailed(CheckResult r, ErrorCode code) {
        assertThat(r.status()).as("%s", r).isEqualTo(ResultStatus.FAILED);
        assertThat(r.error().code()).as("%s", r.error()).isEqualTo(code);
        assertThat(r.iperf3().iperf3Result()).isZero();
    }

    @Test
    void tcpThenUdpAgainstAServerShapedTo5MbitGivesAllTwelveFields() {
        Setup s = setup(1, "ed25519", null, null, options(2), SHAPED);
        CheckResult r = run(s);
        assertThat(r.status()).as("%s", r.error()).isEqualTo(ResultStatus.OK);
        Iperf3Metrics m = r.iperf3();
        assertThat(m.fields()).containsOnlyKeys(Iperf3Metrics.FIELD_NAMES);
        assertThat(m.receivedBpsTcp()).isBetween(4.0e6, 6.0e6);
        assertThat(m.sentBytesTcp()).isPositive();
        assertThat(m.sentBpsUdp()).isPositive();
        assertThat(m.totalPackets()).isPositive();
        assertThat(r.server().host()).isEqualTo(server(SHAPED).get("address").asText());
        assertThat(r.server().fencingToken()).isPositive();
        assertThat(r.runnerId()).isEqualTo(RUNNER_A);
        // trust on first use: the fingerprint the device presented was reported to inventory
        assertThat(inventory().reported).contains(Map.entry(s.device(), device(1).get("host_key_fingerprint").asText()));
        assertThat(inventory().secretCalls).anyMatch(c -> c.getKey().equals(s.check()) && c.getValue().startsWith("server="));
        System.out.printf("shaped run: received_bps_tcp=%.0f sent_bps_tcp=%.0f (target 5 Mbit/s)%n", m.receivedBpsTcp(),
                m.sentBpsTcp());
    }

    static Map<String, Object> rsaAuth(String password) {
        Map<String, Object> auth = new HashMap<>();
        auth.put("username", server(RSA).get("rsa").get("username").asText());
        auth.put("password", password);
        auth.put("rsa_public_key", read(server(RSA).get("rsa").get("public_key_pem_path").asText()));
        return auth;
    }

    static int keyFilesOn(int device) {
        return Integer.parseInt(onDevice(device, "ls /tmp/ | grep -c '^bw-iperf3-key' || true").strip());
    }

    @Test
    void rsaAuthenticationEndToEndAndTheKeyFileIsGoneAfterSuccessAndFailure() {
        String fp = device(2).get("host_key_fingerprint").asText();
        Setup ok = setup(2, "rsa", fp, rsaAuth(server(RSA).get("rsa").get("password").asText()), options(1), RSA);
        CheckResult good = run(ok);
        assertThat(good.status()).as("%s", good.error()).isEqualTo(ResultStatus.OK);
        assertThat(good.iperf3().sentBpsTcp()).isPositive();
        assertThat(good.iperf3().sentBpsUdp()).isPositive();
        assertThat(keyFilesOn(2)).isZero();

        Setup wrong = setup(2, "password", fp, rsaAuth("wrong-password"), options(1), RSA);
        CheckResult bad = run(wrong);
        assertFailed(bad, ErrorCode.AUTH_FAILED);
        assertThat(bad.error().message()).contains("authorization failed").doesNotContain("wrong-password");
        assertThat(keyFilesOn(2)).isZero();
    }

    @Test
    void deviceWithoutIperf3() {
        assertFailed(run(setup(NO_IPERF3, "ed25519", null, null, options(1), 1)), ErrorCode.IPERF3_NOT_INSTALLED);
    }

    @Test
    void sshdDown() {
        assertFailed(run(setup(SSHD_DOWN, "ed25519", null, null, options(1), 1)), ErrorCode.SSH_UNREACHABLE);
    }

    @Test
    void wrongKeyAndWrongPassword() throws Exception {
        Path dir = Files.createTempDirectory("wrong-key");
        exec(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("k").toString()), true);
        Setup s = setup(3, "ed25519", null, null, options(1), 1);
        Map<String, Object> ssh = ssh(3, "ed25519");
        ssh.put("private_key", Files.readString(dir.resolve("k")));
        inventory().secrets(s.check(), secrets(s.device(), ssh, null));
        assertFailed(run(s), ErrorCode.SSH_AUTH_FAILED);

        Setup p = setup(3, "password", null, null, options(1), 1);
        Map<String, Object> pw = ssh(3, "password");
        pw.put("password", "not-the-password");
        inventory().secrets(p.check(), secrets(p.device(), pw, null));
        assertFailed(run(p), ErrorCode.SSH_AUTH_FAILED);
    }

    @Test
    void wrongPinnedHostKey() {
        CheckResult r = run(setup(3, "ed25519", "SHA256:" + "A".repeat(43), null, options(1), 1));
        assertFailed(r, ErrorCode.HOST_KEY_MISMATCH);
        assertThat(r.error().message()).contains(device(3).get("host_key_fingerprint").asText());
    }

    @Test
    void serverBusyWithAForeignClient() throws Exception {
        String busy = server(BUSY).get("address").asText();
        Process foreign = new ProcessBuilder("iperf3", "-c", busy, "-p", "5201", "-t", "30").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(1000);
            assertFailed(run(setup(4, "ed25519", null, null, options(1), BUSY)), ErrorCode.SERVER_BUSY);
        } finally {
            foreign.destroy();
            foreign.waitFor();
        }
    }

    @Test
    void nothingListening() {
        // device 5's own address: an sshd, but no iperf3 server
        String host = device(5).get("address").asText();
        UUID org = UUID.randomUUID();
        publishServerAt(List.of(org), host, 5201, false);
        CheckResult r = run(setup(org, 4, "ed25519", null, null, options(1, host)));
        assertFailed(r, ErrorCode.CONNECTION_REFUSED);
    }

    @Test
    void twoOrganizationsWithServersOnOneHostEachRunTheirOwn() {
        // organization A's server is the shaped test bed server; organization B registers the same host on another
        // port (nothing listens there): A's runs keep using A's server, B's never touch A's
        String host = server(SHAPED).get("address").asText();
        UUID orgA = UUID.randomUUID();
        UUID orgB = UUID.randomUUID();
        UUID serverA = publishServerAt(List.of(orgA), host, server(SHAPED).get("port").asInt(), false);
        UUID serverB = publishServerAt(List.of(orgB), host, 5299, false);
        CheckResult a = run(setup(orgA, 1, "ed25519", null, null, options(1, host)));
        assertThat(a.status()).as("%s", a.error()).isEqualTo(ResultStatus.OK);
        assertThat(a.server().id()).isEqualTo(serverA);
        CheckResult b = run(setup(orgB, 2, "ed25519", null, null, options(1, host)));
        assertFailed(b, ErrorCode.CONNECTION_REFUSED);
        assertThat(b.server().id()).isEqualTo(serverB);
        assertThat(b.server().port()).isEqualTo(5299);
    }

    @Test
    void aHostThatTheOrganizationDidNotRegisterIsNoServerAvailableNamingIt() {
        // another organization's server on that host does not count
        String host = server(SHAPED).get("address").asText();
        publishServerAt(List.of(UUID.randomUUID()), host, server(SHAPED).get("port").asInt(), false);
        CheckResult r = run(setup(4, "ed25519", null, null, options(1, host)));
        assertFailed(r, ErrorCode.NO_SERVER_AVAILABLE);
        assertThat(r.error().message()).contains(host).contains("not an iperf3 server of its organization");
        assertThat(r.server()).isNull();
    }

    @Test
    void aServerThatAcceptsButNeverAnswersEndsInTimeout() throws Exception {
        // a "server" on the bridge address that accepts connections and never speaks: iperf3 would hang forever
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName(Harness.bridgeAddress()))) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            acceptor.start();
            Iperf3Options options = new Iperf3Options(List.of(Harness.bridgeAddress()), Iperf3Options.ClientOptions.of(
                    silent.getLocalPort(), 1, null, null, null, null, null, null, null, null, null), null);
            UUID org = UUID.randomUUID();
            publishServerAt(List.of(org), Harness.bridgeAddress(), silent.getLocalPort(), false);
            CheckResult r = run(setup(org, 10, "ed25519", null, null, options));
            assertFailed(r, ErrorCode.TIMEOUT);
            assertThat(held).isNotEmpty();
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void garbageOutputAndInjectionPassedAsALiteralArgument() {
        Map<String, Object> auth = rsaAuth("pw;$(touch PWNED)`touch PWNED`");
        auth.put("username", "$(touch${IFS}PWNED)");
        CheckResult r = run(setup(GARBAGE, "ed25519", null, auth, options(1), 1));
        assertFailed(r, ErrorCode.BAD_OUTPUT);
        assertThat(r.error().message()).contains("[--username][" + auth.get("username") + "]");
        assertThat(onDevice(GARBAGE, "ls /tmp ~ ; echo end")).doesNotContain("PWNED").contains("end");
        assertThat(keyFilesOn(GARBAGE)).isZero();
    }

    @Test
    void waitLimitExceededWhileAnotherRunnerHoldsTheOnlyServer() throws Exception {
        UUID org = UUID.randomUUID();
        UUID serverId = publishServer(List.of(org), 2);
        UUID device = publishDevice(org, 6, null);
        UUID check = publishIperf3Check(org, device, options(1));
        inventory().secrets(check, secrets(device, ssh(6, "ed25519"), null));
        try (LeaseManager foreign = new LeaseManager(redis, "foreign-runner", config.lease().keyPrefix(),
                Duration.ofSeconds(60), Duration.ofMillis(200))) {
            Lease held = foreign.acquire(List.of(new ServerRef(serverId, server(2).get("address").asText(), 5201)),
                    Duration.ofSeconds(1), "hold");
            long started = System.nanoTime();
            CheckResult r = runNow(org, device, check, MAX_WAIT.plusSeconds(30));
            assertFailed(r, ErrorCode.NO_SERVER_AVAILABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(MAX_WAIT);
            assertThat(r.server()).isNull();
            foreign.release(held);
        }
    }
}
