package io.bandwatch.runner.service;

import io.bandwatch.events.CheckResult;
import io.bandwatch.events.CheckSnapshot;
import io.bandwatch.events.CheckType;
import io.bandwatch.events.ErrorCode;
import io.bandwatch.events.Iperf3Metrics;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.Iperf3Options.ClientOptions;
import io.bandwatch.events.PingOptions;
import io.bandwatch.events.ResultError;
import io.bandwatch.events.ResultStatus;
import io.bandwatch.events.ServerUsed;
import io.bandwatch.platform.tracing.Traces;
import io.bandwatch.runner.client.RunSecrets;
import io.bandwatch.runner.client.SecretsSource;
import io.bandwatch.runner.config.RunnerConfig;
import io.bandwatch.runner.iperf3.Iperf3Command;
import io.bandwatch.runner.iperf3.Iperf3Mode;
import io.bandwatch.runner.iperf3.Iperf3Parser;
import io.bandwatch.runner.iperf3.ModeResult;
import io.bandwatch.runner.lease.Lease;
import io.bandwatch.runner.lease.LeaseManager;
import io.bandwatch.runner.lease.NoServerAvailableException;
import io.bandwatch.runner.lease.ServerRef;
import io.bandwatch.runner.ping.FpingRunner;
import io.bandwatch.runner.config.RunnerIdentity;
import io.bandwatch.runner.repository.DeviceRepository;
import io.bandwatch.runner.repository.DeviceRepository.DeviceRow;
import io.bandwatch.runner.repository.ServerRepository;
import io.bandwatch.runner.repository.ServerRepository.ServerRow;
import io.bandwatch.runner.ssh.ExecResult;
import io.bandwatch.runner.ssh.SshClient;
import io.bandwatch.runner.ssh.SshClient.SshConnection;
import io.bandwatch.runner.ssh.SshFailure;
import io.bandwatch.runner.ssh.SshLogin;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs one claimed check to exactly one {@link CheckResult}: iperf3 over SSH against a leased server (TCP, then
 * UDP), or fping from the runner. Every failure becomes a result with a code; nothing is swallowed.
 */
@Singleton
public class CheckRunner {

    private static final Logger LOG = Logger.getLogger(CheckRunner.class);

    private final String runnerId;
    private final DeviceRepository devices;
    private final ServerRepository servers;
    private final LeaseManager leases;
    private final SshClient ssh;
    private final SecretsSource secrets;
    private final FpingRunner fping;
    private final RunnerConfig config;
    private final Set<SshConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean crashed;

    /** This replica's check runner. */
    @Inject
    public CheckRunner(RunnerIdentity identity, DeviceRepository devices, ServerRepository servers, LeaseManager leases,
            SshClient ssh, SecretsSource secrets, FpingRunner fping, RunnerConfig config) {
        this(identity.id(), devices, servers, leases, ssh, secrets, fping, config);
    }

    public CheckRunner(String runnerId, DeviceRepository devices, ServerRepository servers, LeaseManager leases,
            SshClient ssh, SecretsSource secrets, FpingRunner fping, RunnerConfig config) {
        this.runnerId = runnerId;
        this.devices = devices;
        this.servers = servers;
        this.leases = leases;
        this.ssh = ssh;
        this.secrets = secrets;
        this.fping = fping;
        this.config = config;
    }

    /** The outcome of a run: the event and what the history needs beyond it. */
    public record RunOutcome(CheckResult result, Long leaseWaitMs, Instant leasedAt) {
    }

    public RunOutcome run(CheckSnapshot check, UUID eventId) {
        Instant started = Instant.now();
        try {
            return check.type() == CheckType.IPERF3 ? iperf3(check, eventId, started) : ping(check, eventId, started);
        } catch (RuntimeException e) {
            LOG.errorf(e, "check %s: unexpected failure", check.id());
            Iperf3Metrics iperf3 = check.type() == CheckType.IPERF3 ? Iperf3Metrics.failed() : null;
            return new RunOutcome(new CheckResult(eventId, check.id(), check.deviceId(), check.organizationId(),
                    check.type(), started, Instant.now(), null, ResultStatus.FAILED,
                    new ResultError(ErrorCode.INTERNAL_ERROR, "runner error: " + e.getClass().getSimpleName() + ": "
                            + e.getMessage()),
                    iperf3, null, runnerId), null, null);
        }
    }

    // ------------------------------------------------------------------ ping

    private RunOutcome ping(CheckSnapshot check, UUID eventId, Instant started) {
        Optional<DeviceRow> device = devices.find(check.deviceId());
        if (device.isEmpty()) {
            return pingFailed(check, eventId, started, ErrorCode.INTERNAL_ERROR, "device " + check.deviceId() + " is unknown to the runner");
        }
        PingOptions options = check.ping() == null ? PingOptions.defaults() : check.ping();
        FpingRunner.Outcome outcome = Traces.inSpan("fping", () -> fping.run(device.get().address(), options));
        if (outcome.error() != null) {
            return pingFailed(check, eventId, started, outcome.error(), outcome.message());
        }
        return new RunOutcome(new CheckResult(eventId, check.id(), check.deviceId(), check.organizationId(), CheckType.PING,
                started, Instant.now(), null, ResultStatus.OK, null, null, outcome.metrics(), runnerId), null, null);
    }

    private RunOutcome pingFailed(CheckSnapshot check, UUID eventId, Instant started, ErrorCode code, String message) {
        return new RunOutcome(new CheckResult(eventId, check.id(), check.deviceId(), check.organizationId(), CheckType.PING,
                started, Instant.now(), null, ResultStatus.FAILED, new ResultError(code, message), null, null, runnerId), null, null);
    }

    // ------------------------------------------------------------------ iperf3

    /**
     * The servers a check may lease: those of its {@code host} list, each matched only among the servers registered
     * for the check's organization (another organization's server on the same host is never used), or else every
     * server of the organization. A host of the list that the organization has not registered ends the run.
     */
    List<ServerRef> pool(CheckSnapshot check) throws NoServerAvailableException {
        Iperf3Options options = check.iperf3();
        List<ServerRef> pool = new ArrayList<>();
        if (!options.host().isEmpty()) {
            for (String host : options.host()) {
                List<ServerRow> known = servers.byHost(host, check.organizationId());
                if (known.isEmpty()) {
                    throw new NoServerAvailableException("the check's host " + host
                            + " is not an iperf3 server of its organization (register it in inventory)");
                }
                if (known.get(0).enabled()) {
                    ServerRow s = known.get(0);
                    pool.add(new ServerRef(s.id(), s.host(), s.port()));
                }
            }
        } else {
            for (ServerRow s : servers.ofOrganization(check.organizationId())) {
                pool.add(new ServerRef(s.id(), s.host(), s.port()));
            }
        }
        return pool;
    }

    private final ThreadLocal<Instant> leasedAt = new ThreadLocal<>();

    private RunOutcome iperf3(CheckSnapshot check, UUID eventId, Instant started) {
        leasedAt.remove();
        Lease lease;
        try {
            lease = Traces.inSpan("lease wait", () -> leases.acquire(pool(check), config.lease().maxWait(), eventId.toString()));
        } catch (NoServerAvailableException e) {
            return iperf3Result(check, eventId, started, null, ErrorCode.NO_SERVER_AVAILABLE, e.getMessage(),
                    Iperf3Metrics.failed(), config.lease().maxWait().toMillis());
        }
        leasedAt.set(lease.since());
        ServerUsed used = new ServerUsed(lease.server().id(), lease.server().host(), lease.server().port(), lease.fencingToken());
        long waitedMs = lease.waited().toMillis();
        try {
            return measure(check, eventId, started, lease, used, waitedMs);
        } finally {
            if (!crashed) {
                try {
                    leases.release(lease);
                } catch (RuntimeException e) {
                    LOG.warnf("releasing the lease on %s: %s (it expires by its TTL)", lease.server().host(), e.getMessage());
                }
            }
        }
    }

    private RunOutcome measure(CheckSnapshot check, UUID eventId, Instant started, Lease lease, ServerUsed used,
            long waitedMs) {
        Optional<DeviceRow> deviceRow = devices.find(check.deviceId());
        if (deviceRow.isEmpty()) {
            return iperf3Result(check, eventId, started, used, ErrorCode.INTERNAL_ERROR,
                    "device " + check.deviceId() + " is unknown to the runner", Iperf3Metrics.failed(), waitedMs);
        }
        DeviceRow device = deviceRow.get();
        RunSecrets runSecrets;
        try {
            runSecrets = secrets.runSecrets(check.id(), lease.server().id());
        } catch (SecretsSource.InventoryException e) {
            return iperf3Result(check, eventId, started, used, ErrorCode.INTERNAL_ERROR, e.getMessage(),
                    Iperf3Metrics.failed(), waitedMs);
        }
        Iperf3Command.Auth auth = null;
        if (runSecrets.iperf3Auth() != null) {
            try {
                RunSecrets.Iperf3Auth a = runSecrets.iperf3Auth();
                auth = new Iperf3Command.Auth(a.username(), a.password(), a.rsaPublicKey());
            } catch (IllegalArgumentException e) {
                return iperf3Result(check, eventId, started, used, ErrorCode.AUTH_FAILED,
                        "iperf3 credentials unusable: " + e.getMessage(), Iperf3Metrics.failed(), waitedMs);
            }
        }
        RunSecrets.Ssh s = runSecrets.ssh();
        String pinned = s.hostKeyFingerprint() != null ? s.hostKeyFingerprint() : device.hostKeyFingerprint();
        boolean key = "key".equals(s.authMethod());
        SshLogin login = new SshLogin(device.address(), device.sshPort(), s.user() != null ? s.user() : device.sshUser(),
                key ? s.privateKey() : null, key ? null : s.password(), pinned);
        String runTag = eventId.toString().replace("-", "");
        ModeResult tcp = null;
        ModeResult udp = null;
        boolean connectionLost = false;
        SshConnection connection;
        try {
            connection = Traces.inSpan("ssh connect", () -> ssh.connect(login));
        } catch (SshFailure e) {
            return iperf3Result(check, eventId, started, used, e.code(), e.getMessage(), Iperf3Metrics.failed(), waitedMs);
        }
        open.add(connection);
        try {
            if (pinned == null) {
                try {
                    if (!secrets.reportHostKey(device.id(), connection.hostKeyFingerprint())) {
                        return iperf3Result(check, eventId, started, used, ErrorCode.HOST_KEY_MISMATCH,
                                "inventory has a different host key pinned for " + device.address() + " than the "
                                        + connection.hostKeyFingerprint() + " it presented",
                                Iperf3Metrics.failed(), waitedMs);
                    }
                    devices.pinHostKey(device.id(), connection.hostKeyFingerprint());
                } catch (SecretsSource.InventoryException e) {
                    return iperf3Result(check, eventId, started, used, ErrorCode.INTERNAL_ERROR,
                            "cannot record the host key seen on first use: " + e.getMessage(), Iperf3Metrics.failed(), waitedMs);
                }
            }
            ClientOptions options = check.iperf3().clientOptions();
            int testSeconds = options.endCondition() == Iperf3Options.EndCondition.TIME ? options.time()
                    : ClientOptions.MAX_TIME;
            int deviceTimeout = (int) (testSeconds + options.connectTimeout() / 1000 + config.iperf3().timeoutSlack().toSeconds());
            Duration deadline = Duration.ofSeconds(deviceTimeout).plus(config.iperf3().commandSlack());
            for (Iperf3Mode mode : Iperf3Mode.values()) {
                if (crashed) {
                    break;
                }
                if (mode == Iperf3Mode.UDP && tcp != null && (tcp.error() == ErrorCode.IPERF3_NOT_INSTALLED
                        || tcp.error() == ErrorCode.SSH_UNREACHABLE)) {
                    break;
                }
                Iperf3Command command = Iperf3Command.build(lease.server().host(), lease.server().port(), options, mode,
                        auth, deviceTimeout, runTag);
                String lost = guard(lease, options, testSeconds, deviceTimeout);
                if (lost != null) {
                    return iperf3Result(check, eventId, started, used, ErrorCode.NO_SERVER_AVAILABLE,
                            lost + " before the " + mode + " test; not started, so that two tests never share a server",
                            Iperf3Metrics.failed(), waitedMs);
                }
                ModeResult result;
                try {
                    ExecResult exec = Traces.inSpan("iperf3 " + mode.name().toLowerCase(Locale.ROOT),
                            () -> connection.exec(command.script(), command.stdin(), deadline));
                    if (exec.timedOut()) {
                        result = ModeResult.failed(mode, ErrorCode.TIMEOUT, "iperf3 " + mode + " did not end within "
                                + deadline.toSeconds() + " s; killed");
                        connectionLost = true;
                    } else {
                        result = Iperf3Parser.parse(mode, exec.stdout(), exec.stderr(), exec.exitStatus());
                    }
                } catch (SshFailure e) {
                    result = ModeResult.failed(mode, e.code(), e.getMessage());
                    connectionLost = true;
                }
                if (mode == Iperf3Mode.TCP) {
                    tcp = result;
                } else {
                    udp = result;
                }
            }
        } finally {
            open.remove(connection);
            connection.close();
        }
        if (auth != null && connectionLost && !crashed) {
            cleanUpKeyFile(login, runTag);
        }
        Iperf3Metrics metrics = Iperf3Parser.metrics(tcp, udp);
        ModeResult failed = tcp != null && !tcp.ok() ? tcp : udp != null && !udp.ok() ? udp : null;
        if (tcp == null || (udp == null && failed == null)) {
            failed = ModeResult.failed(Iperf3Mode.TCP, ErrorCode.INTERNAL_ERROR, "run interrupted");
        }
        if (failed == null) {
            return iperf3Result(check, eventId, started, used, null, null, metrics, waitedMs);
        }
        String message = failed.message();
        if (tcp != null && udp != null && !tcp.ok() && !udp.ok() && tcp.error() != udp.error()) {
            message = message + "; then " + udp.message();
        }
        return iperf3Result(check, eventId, started, used, failed.error(), message, metrics, waitedMs);
    }

    /**
     * Confirms the lease before a command and marks the server busy for as long as the command may run on its own
     * (a time-bounded test: its length, its connect timeout and the orphan margin; otherwise the device-side
     * timeout); null when confirmed, else why the command must not start.
     */
    private String guard(Lease lease, ClientOptions options, int testSeconds, int deviceTimeout) {
        Duration device = Duration.ofSeconds(deviceTimeout + 2L);
        Duration runsAtMost = options.endCondition() == Iperf3Options.EndCondition.TIME
                ? Duration.ofSeconds(testSeconds).plusMillis(options.connectTimeout()).plus(config.lease().orphanMargin())
                : device;
        if (runsAtMost.compareTo(device) > 0) {
            runsAtMost = device;
        }
        try {
            return leases.guard(lease, runsAtMost) ? null
                    : "the lease on iperf3 server " + lease.server().host() + ":" + lease.server().port()
                            + " was lost (not renewed within its TTL of " + leases.ttl().toSeconds() + " s)";
        } catch (RuntimeException e) {
            return "the lease on iperf3 server " + lease.server().host() + ":" + lease.server().port()
                    + " could not be confirmed (" + e.getMessage() + ")";
        }
    }

    /** After a dropped or killed command, removes this run's key file in a fresh session (best effort). */
    private void cleanUpKeyFile(SshLogin login, String runTag) {
        try (SshConnection again = ssh.connect(login)) {
            again.exec("rm -f " + Iperf3Command.KEY_FILE_PREFIX + runTag + ".*", new byte[0], Duration.ofSeconds(10));
        } catch (SshFailure e) {
            LOG.warnf("could not remove the iperf3 key file of run %s on %s: %s", runTag, login.host(), e.getMessage());
        }
    }

    private RunOutcome iperf3Result(CheckSnapshot check, UUID eventId, Instant started, ServerUsed server,
            ErrorCode code, String message, Iperf3Metrics metrics, Long waitedMs) {
        boolean ok = code == null;
        return new RunOutcome(new CheckResult(eventId, check.id(), check.deviceId(), check.organizationId(),
                CheckType.IPERF3, started, Instant.now(), server, ok ? ResultStatus.OK : ResultStatus.FAILED,
                ok ? null : new ResultError(code, message == null ? code.jsonName() : message), metrics, null, runnerId),
                waitedMs, leasedAt.get());
    }

    /** Simulated crash: drop every SSH connection at once, release nothing, publish nothing. */
    public void crash() {
        crashed = true;
        leases.abandonAll();
        open.forEach(SshConnection::abort);
    }

    public boolean crashed() {
        return crashed;
    }
}
