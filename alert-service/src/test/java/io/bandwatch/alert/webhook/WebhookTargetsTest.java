package io.bandwatch.alert.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bandwatch.platform.net.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The policy alone, with a DNS answer the test controls (the service test covers the REST and delivery paths). */
class WebhookTargetsTest {

    private static final String PUBLIC = "93.184.215.14";

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://127.1/", "http://0177.0.0.1/", "http://2130706433/",
            "http://0x7f000001/", "http://0x7f.0.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
            "http://[0:0:0:0:0:ffff:7f00:1]/", "http://0.0.0.0/", "http://0/", "http://[::]/", "http://10.1.2.3/",
            "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/", "http://169.254.169.254/latest/meta-data",
            "http://[fe80::1%25eth0]/", "http://[fd00:ec2::254]/", "http://224.0.0.1/", "http://255.255.255.255/",
            "http://198.18.0.10/", "http://[64:ff9b::a00:1]/", "http://[2002:7f00:1::]/", "http://localhost/",
            "http://LOCALHOST./", "http://api.localhost/", "http://metadata.google.internal/", "http://router.local/",
            "http://nas.home.arpa/"})
    void internalTargetsAreRefusedAtCreationInEverySpelling(String url) {
        WebhookTargets targets = new WebhookTargets(List.of(), host -> {
            throw new UnknownHostException(host); // no DNS: literals and reserved names must be judged without it
        });
        assertThatThrownBy(() -> targets.checkNew(url)).isInstanceOf(WebhookTargets.RefusedTarget.class)
                .hasMessageStartingWith("refused: internal address");
    }

    @Test
    void aNameThatResolvesInsideIsRefused() {
        WebhookTargets targets = new WebhookTargets(List.of(), host -> InetAddress.getAllByName("127.0.0.1"));
        assertThatThrownBy(() -> targets.checkNew("https://hooks.example.net/x"))
                .isInstanceOf(WebhookTargets.RefusedTarget.class).hasMessageContaining("127.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.net:0/", "http://hooks.example.net:99999/", "http://h:65536/"})
    void portsOutsideTheRangeAreRefused(String url) {
        WebhookTargets targets = new WebhookTargets(List.of(), host -> new InetAddress[] {InetAddress.getByName(PUBLIC)});
        assertThatThrownBy(() -> targets.checkNew(url)).hasMessageContaining("port");
    }

    @Test
    void aNameThatRebindsInsideAfterCreationIsRefusedAtDelivery() throws Exception {
        AtomicReference<String> answer = new AtomicReference<>(PUBLIC);
        WebhookTargets targets = new WebhookTargets(List.of(),
                host -> new InetAddress[] {InetAddress.getByName(answer.get())});
        assertThat(targets.checkNew("https://hooks.example.net/x")).hasHost("hooks.example.net");
        assertThat(targets.checkDelivery("https://hooks.example.net/x")).hasHost("hooks.example.net");
        answer.set("10.0.0.7");
        assertThatThrownBy(() -> targets.checkDelivery("https://hooks.example.net/x"))
                .hasMessageStartingWith("refused: internal address");
    }

    @Test
    void aNameThatDoesNotResolveIsAcceptedAtCreationButNotDelivered() throws Exception {
        WebhookTargets targets = new WebhookTargets(List.of(), host -> {
            throw new UnknownHostException(host);
        });
        assertThat(targets.checkNew("https://hooks.example.net/x")).hasHost("hooks.example.net");
        assertThatThrownBy(() -> targets.checkDelivery("https://hooks.example.net/x"))
                .hasMessage("the host does not resolve");
    }

    @Test
    void theConfiguredAllowListOpensOnlyItsNetworks() throws Exception {
        WebhookTargets targets = new WebhookTargets(List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("fd12::/16")),
                InetAddress::getAllByName);
        assertThat(targets.checkNew("http://10.20.3.4:8443/hook")).hasPort(8443);
        assertThat(targets.checkDelivery("http://[fd12::5]/hook")).hasHost("[fd12::5]");
        assertThatThrownBy(() -> targets.checkNew("http://10.21.0.1/")).hasMessageStartingWith("refused");
        assertThatThrownBy(() -> targets.checkNew("http://127.0.0.1/")).hasMessageStartingWith("refused");
    }

    @Test
    void publicAddressesPass() throws Exception {
        WebhookTargets targets = new WebhookTargets(List.of(), InetAddress::getAllByName);
        assertThat(targets.checkNew("https://" + PUBLIC + "/hook")).hasPath("/hook");
        assertThat(targets.checkDelivery("http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/")).isNotNull();
    }

    @Test
    void cidrsParseAndMatchOnTheirPrefix() {
        Cidr net = Cidr.parse("172.16.0.0/12");
        assertThat(net.contains(new byte[] {(byte) 172, 31, (byte) 255, 1})).isTrue();
        assertThat(net.contains(new byte[] {(byte) 172, 32, 0, 1})).isFalse();
        assertThat(Cidr.parse("::1").toString()).isEqualTo("0:0:0:0:0:0:0:1/128");
        assertThatThrownBy(() -> Cidr.parse("example.net/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix");
    }
}
