package io.bandwatch.alert.webhook;

import io.bandwatch.alert.config.AlertConfig;
import io.bandwatch.platform.net.Cidr;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a tenant may aim a webhook: an http(s) URL whose host is not, and does not resolve to, an internal address
 * (loopback, unspecified, private, link-local with cloud metadata, unique-local, carrier-grade NAT, multicast,
 * reserved and documentation ranges, and IPv6 forms that embed one of those), unless configuration allows that
 * network. Checked when a webhook is created and again before every delivery, after resolving the name, so a name
 * that later resolves inside (DNS rebinding) is refused at delivery; the JVM's address cache (30 s) makes the
 * HTTP client connect to the address that was checked.
 */
@ApplicationScoped
public class WebhookTargets {

    /** Networks no webhook may reach unless allowed by configuration. */
    static final List<Cidr> INTERNAL = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "::/96", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10",
            "ff00::/8")
            .stream().map(Cidr::parse).toList();

    /** IPv6 prefixes that carry an IPv4 address (NAT64 in the last 32 bits, 6to4 in bits 16-47). */
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    /** Names that only mean something inside a network (RFC 6761, RFC 8375, cloud metadata services). */
    private static final List<String> INTERNAL_SUFFIXES = List.of("localhost", "local", "internal", "home.arpa",
            "localdomain");

    /** Looks a host name up; a seam so that a test can answer as a rebinding DNS server would. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Why a URL may not be a webhook target; the message is fit for the API and the delivery log. */
    public static class RefusedTarget extends Exception {
        private static final long serialVersionUID = 1L;

        public RefusedTarget(String message) {
            super(message);
        }
    }

    private final List<Cidr> allowed;
    private final Resolver resolver;

    @Inject
    public WebhookTargets(AlertConfig config) {
        this(config.webhook().allowedInternalCidrs().orElse(List.of()).stream().filter(s -> !s.isBlank())
                .map(Cidr::parse).toList(), InetAddress::getAllByName);
    }

    public WebhookTargets(List<Cidr> allowed, Resolver resolver) {
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
    }

    /**
     * At creation: the URL's form, and its host (a literal, or each address the name resolves to now). A name that
     * does not resolve yet is accepted (it is checked again at each delivery); one that resolves inside is not.
     */
    public URI checkNew(String url) throws RefusedTarget {
        URI uri = parse(url);
        String host = host(uri);
        try {
            checkAddresses(host, resolve(host));
        } catch (UnknownHostException e) {
            // not resolvable from here (yet): a delivery resolves and checks it again
        }
        return uri;
    }

    /** Before a delivery: the host must resolve, and to public addresses only. */
    public URI checkDelivery(String url) throws RefusedTarget {
        URI uri = parse(url);
        String host = host(uri);
        InetAddress[] addresses;
        try {
            addresses = resolve(host);
        } catch (UnknownHostException e) {
            throw new RefusedTarget("the host does not resolve");
        }
        checkAddresses(host, addresses);
        return uri;
    }

    private URI parse(String url) throws RefusedTarget {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RefusedTarget("url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new RefusedTarget("url must be an absolute http or https URL" + (scheme == null ? "" : ", not " + scheme));
        }
        if (!uri.isOpaque() && uri.getHost() == null && uri.getRawAuthority() != null) {
            // java.net.URI does not take short numeric IPv4 forms (127.1, 0x7f.0.0.1) as hosts; HTTP clients
            // elsewhere do, so such an authority is judged by its host as they would read it
            String authority = uri.getRawAuthority();
            if (authority.contains("@")) {
                throw new RefusedTarget("url must not contain a user name or password; the webhook secret signs every delivery");
            }
            String host = authority.replaceFirst(":[0-9]*$", "").toLowerCase(Locale.ROOT);
            if (host.matches("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}")) {
                checkNumeric(host);
            }
        }
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isBlank()) {
            throw new RefusedTarget("url must name a host (http://host[:port]/path)");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedTarget("url must not contain a user name or password; the webhook secret signs every delivery");
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new RefusedTarget("the port of url must be 1-65535");
        }
        return uri;
    }

    private static String host(URI uri) throws RefusedTarget {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (String suffix : INTERNAL_SUFFIXES) {
            if (name.equals(suffix) || name.endsWith("." + suffix)) {
                throw new RefusedTarget("refused: internal address (" + name + " is a name of an internal network)");
            }
        }
        return host;
    }

    /**
     * The addresses of a host, reading the numeric IPv4 forms that C resolvers and browsers accept and Java does not
     * ({@code 0x7f000001}, {@code 0177.0.0.1}, {@code 127.1}) as those programs would, so no spelling slips past.
     */
    private InetAddress[] resolve(String host) throws UnknownHostException, RefusedTarget {
        if (host.matches("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}")) {
            return new InetAddress[] {InetAddress.getByAddress(host, numericIpv4(host))};
        }
        if (host.indexOf(':') >= 0) {
            // an IPv6 literal, judged without its zone (fe80::1%eth0 is link-local whatever the interface)
            int zone = host.indexOf('%');
            String literal = zone < 0 ? host : host.substring(0, zone);
            if (!literal.matches("[0-9a-f:.]+")) {
                throw new RefusedTarget("url has a host that is not a valid IPv6 address: " + host);
            }
            try {
                return new InetAddress[] {InetAddress.getByName(literal)};
            } catch (UnknownHostException e) {
                throw new RefusedTarget("url has a host that is not a valid IPv6 address: " + host);
            }
        }
        return resolver.resolve(host);
    }

    /** inet_aton(3): one to four parts, decimal, octal (leading 0) or hex (0x); the last part fills the rest. */
    static byte[] numericIpv4(String host) throws RefusedTarget {
        String[] parts = host.split("\\.");
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            try {
                values[i] = p.startsWith("0x") ? (p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16))
                        : p.length() > 1 && p.startsWith("0") ? Long.parseLong(p.substring(1), 8) : Long.parseLong(p);
            } catch (NumberFormatException e) {
                throw new RefusedTarget("url has a host that is not a valid IPv4 address: " + host);
            }
        }
        long address = 0;
        int last = parts.length - 1;
        for (int i = 0; i < last; i++) {
            if (values[i] > 255) {
                throw new RefusedTarget("url has a host that is not a valid IPv4 address: " + host);
            }
            address |= values[i] << (8 * (3 - i));
        }
        if (values[last] >= 1L << (8 * (4 - last))) {
            throw new RefusedTarget("url has a host that is not a valid IPv4 address: " + host);
        }
        address |= values[last];
        return new byte[] {(byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address};
    }

    private void checkNumeric(String host) throws RefusedTarget {
        try {
            checkAddresses(host, new InetAddress[] {InetAddress.getByAddress(host, numericIpv4(host))});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private void checkAddresses(String host, InetAddress[] addresses) throws RefusedTarget {
        for (InetAddress address : addresses) {
            if (internal(address.getAddress()) && !isAllowed(address.getAddress())) {
                throw new RefusedTarget("refused: internal address (" + host + " is " + address.getHostAddress()
                        + "; webhooks reach only public addresses unless allowed by configuration)");
            }
        }
    }

    private boolean isAllowed(byte[] address) {
        return allowed.stream().anyMatch(c -> c.contains(address));
    }

    /** Whether an address is in an internal range, including IPv4 addresses embedded in IPv6 ones. */
    static boolean internal(byte[] address) {
        if (INTERNAL.stream().anyMatch(c -> c.contains(address))) {
            return true;
        }
        if (address.length == 16) {
            if (NAT64.contains(address)) {
                return internal(Arrays.copyOfRange(address, 12, 16));
            }
            if (SIX_TO_FOUR.contains(address)) {
                return internal(Arrays.copyOfRange(address, 2, 6));
            }
            // IPv4-mapped ::ffff:a.b.c.d (InetAddress usually converts these to IPv4 already)
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= address[i] == 0;
            }
            if (mapped && address[10] == (byte) 0xff && address[11] == (byte) 0xff) {
                return internal(Arrays.copyOfRange(address, 12, 16));
            }
        }
        return false;
    }
}
