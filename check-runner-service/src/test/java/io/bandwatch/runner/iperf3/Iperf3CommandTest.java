package io.bandwatch.runner.iperf3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bandwatch.events.EventJson;
import io.bandwatch.events.EventFormatException;
import io.bandwatch.events.Iperf3Options;
import io.bandwatch.events.Iperf3Options.ClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command builder: typed options to argv, every argument quoted; checked by running the script in a real sh. */
class Iperf3CommandTest {

    static final List<String> INJECTIONS = List.of("; rm -rf /", "$(touch PWNED)", "`touch PWNED`", "a\nb",
            "'; touch PWNED; '", "\"$HOME\"", "x|touch PWNED", "&& touch PWNED");

    @TempDir
    Path dir;

    static ClientOptions options(String json) throws IOException {
        return EventJson.read(("{\"client_options\":" + json + "}").getBytes(StandardCharsets.UTF_8), Iperf3Options.class)
                .clientOptions();
    }

    @Test
    void quotingKeepsEveryStringOneLiteralWord() throws Exception {
        for (String s : INJECTIONS) {
            assertThat(runSh("printf '%s' " + ShellQuote.quote(s))).isEqualTo(s);
        }
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
    }

    @Test
    void defaultsGiveOpenWispsCommandTcpThenUdp() throws Exception {
        ClientOptions o = ClientOptions.defaults();
        assertThat(Iperf3Command.build("198.18.0.101", 5201, o, Iperf3Mode.TCP, null, 30, "r1").argv())
                .containsExactly("timeout", "-s", "INT", "30", "iperf3", "-c", "198.18.0.101", "-p", "5201", "-t", "10",
                        "--connect-timeout", "1000", "-b", "0", "-l", "128K", "-w", "0", "-P", "1", "-J");
        assertThat(Iperf3Command.build("198.18.0.101", 5201, o, Iperf3Mode.UDP, null, 30, "r1").argv())
                .containsExactly("timeout", "-s", "INT", "30", "iperf3", "-c", "198.18.0.101", "-p", "5201", "-t", "10",
                        "--connect-timeout", "1000", "-u", "-b", "30M", "-w", "0", "-P", "1", "-J");
    }

    @Test
    void everyOptionIsApplied() throws Exception {
        ClientOptions o = options("{\"port\":5202,\"bytes\":\"10M\",\"window\":\"256K\",\"parallel\":4,\"reverse\":true,"
                + "\"connect_timeout\":2500,\"tcp\":{\"bitrate\":\"100M\",\"length\":\"64K\"},"
                + "\"udp\":{\"bitrate\":\"5M\",\"length\":\"1400\"}}");
        assertThat(Iperf3Command.build("srv.example", 5202, o, Iperf3Mode.TCP, null, 60, "r1").argv())
                .containsSequence("-n", "10M").containsSequence("-w", "256K").containsSequence("-P", "4")
                .contains("--reverse").containsSequence("--connect-timeout", "2500").containsSequence("-b", "100M")
                .containsSequence("-l", "64K").doesNotContain("-t", "-u");
        assertThat(Iperf3Command.build("srv.example", 5202, o, Iperf3Mode.UDP, null, 60, "r1").argv())
                .contains("-u").containsSequence("-b", "5M").containsSequence("-l", "1400");
        ClientOptions blocks = options("{\"blockcount\":\"1000\",\"bidirectional\":true}");
        assertThat(Iperf3Command.build("srv.example", 5201, blocks, Iperf3Mode.TCP, null, 60, "r1").argv())
                .containsSequence("-k", "1000").contains("--bidir");
    }

    @Test
    void injectionInOptionsIsRejectedByValidation() {
        for (String bad : INJECTIONS) {
            for (String field : List.of("bytes", "window", "blockcount")) {
                assertThatThrownBy(() -> options("{\"" + field + "\":" + new ObjectMapper().writeValueAsString(bad) + "}"))
                        .isInstanceOf(EventFormatException.class).hasMessageContaining(field);
            }
            assertThatThrownBy(() -> options("{\"tcp\":{\"bitrate\":" + new ObjectMapper().writeValueAsString(bad) + "}}"))
                    .isInstanceOf(EventFormatException.class).hasMessageContaining("bitrate");
            assertThatThrownBy(() -> options("{\"udp\":{\"length\":" + new ObjectMapper().writeValueAsString(bad) + "}}"))
                    .isInstanceOf(EventFormatException.class).hasMessageContaining("length");
            assertThatThrownBy(() -> Iperf3Command.build(bad, 5201, ClientOptions.defaults(), Iperf3Mode.TCP, null, 30, "r"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Iperf3Options(List.of(bad), null, null)).hasMessageContaining("host");
        }
    }

    @Test
    void authenticatedScriptPassesUsernameLiterallyPasswordOnStdinAndRemovesTheKeyFile() throws Exception {
        // a stand-in iperf3 that records its argv, its IPERF3_PASSWORD and the key file it was given
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = bin.resolve("iperf3");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '<%s>\\n' \"$a\"; done\n"
                + "printf 'PW=%s\\n' \"$IPERF3_PASSWORD\"\nshift $(($# - 1)); printf 'KEYFILE=%s\\n' \"$1\"; cat \"$1\"\n"
                + "exit ${FAKE_EXIT:-0}\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        String pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n";
        for (String username : List.of("$(touch${IFS}PWNED)", "`touch${IFS}PWNED`",
                ";rm${IFS}-rf${IFS}/", "'\";touch${IFS}PWNED")) {
            for (String exit : List.of("0", "1")) {
                String tag = "t" + Math.abs(username.hashCode()) + exit;
                Iperf3Command cmd = Iperf3Command.build("127.0.0.1", 5201, ClientOptions.defaults(), Iperf3Mode.TCP,
                        new Iperf3Command.Auth(username, "pa ss$(x)'w", pem), 30, tag);
                assertThat(cmd.script()).doesNotContain("pa ss");
                ProcessBuilder pb = new ProcessBuilder("sh", "-c", cmd.script()).directory(dir.toFile());
                pb.environment().put("PATH", bin + ":/usr/bin:/bin");
                pb.environment().put("FAKE_EXIT", exit);
                Process p = pb.start();
                p.getOutputStream().write(cmd.stdin());
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isEqualTo(Integer.parseInt(exit));
                assertThat(out).contains("<--username>\n<" + username + ">\n").contains("PW=pa ss$(x)'w\n")
                        .contains(pem.strip());
                String keyFile = out.lines().filter(l -> l.startsWith("KEYFILE=")).findFirst().orElseThrow().substring(8);
                assertThat(keyFile).startsWith(Iperf3Command.KEY_FILE_PREFIX + tag + ".");
                assertThat(Path.of(keyFile)).doesNotExist();
                assertThat(dir.resolve("PWNED")).doesNotExist();
            }
        }
    }

    @Test
    void passwordWithNewlineOrBadPemIsRefused() {
        String pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----";
        assertThatThrownBy(() -> new Iperf3Command.Auth("u", "a\nb", pem)).hasMessageContaining("password");
        assertThatThrownBy(() -> new Iperf3Command.Auth("u", "pw", "x; rm -rf /")).hasMessageContaining("PEM");
        assertThat(new Iperf3Command.Auth("u", "secret", pem).toString()).doesNotContain("secret");
        // a username with a space or a newline is refused (the events' username pattern)
        assertThatThrownBy(() -> new Iperf3Command.Auth("; rm -rf /", "pw", pem)).hasMessageContaining("username");
        assertThatThrownBy(() -> new Iperf3Options(List.of(), null, "a\nb")).hasMessageContaining("username");
    }

    private String runSh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(5, TimeUnit.SECONDS);
        assertThat(dir.resolve("PWNED")).doesNotExist();
        return out;
    }
}
