package io.bandwatch.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Effective parameters of an iperf3 check, in OpenWISP Monitoring's JSON shape so that its
 * configuration documents are accepted as they are (missing keys take the defaults; an unknown key is refused).
 * OpenWISP's {@code password} and {@code rsa_public_key} are secrets: inventory takes them out of a document
 * before it builds this record, which never carries them.
 *
 * @param host          server host names / IPs to use, in order; empty: the organization's server pool
 * @param clientOptions iperf3 client options
 * @param username      iperf3 RSA-auth user name (1-20 printable ASCII characters, no space); when
 *                      present the runner fetches the password and public key from inventory at run
 *                      time. Null: no authentication.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Iperf3Options(List<String> host, ClientOptions clientOptions, String username) {

    public static final String USERNAME_REGEX = "^[!-~]{1,20}$";

    private static final Pattern USERNAME = Pattern.compile(USERNAME_REGEX);

    public Iperf3Options {
        host = Validation.list(host, "host", HostNames::isValid, "not a host name or IP address");
        clientOptions = clientOptions == null ? ClientOptions.defaults() : clientOptions;
        if (username != null && !USERNAME.matcher(username).matches()) {
            throw new InvalidFieldException("username",
                    "must be 1 to 20 printable ASCII characters without spaces");
        }
    }

    /** No host list (organization pool), default client options, no authentication. */
    public static Iperf3Options defaults() {
        return new Iperf3Options(List.of(), ClientOptions.defaults(), null);
    }

    /** True when the check uses iperf3 RSA authentication. */
    public boolean authenticated() {
        return username != null;
    }

    /** What ends a test: {@code -t time}, {@code -n bytes} or {@code -k blockcount}. */
    public enum EndCondition {
        TIME,
        BYTES,
        BLOCKCOUNT
    }

    /**
     * iperf3 client options ({@code client_options}). Sizes use iperf3 syntax ({@link IperfSize}).
     *
     * @param port           server port, 1-65535, default 5201 ({@code -p})
     * @param time           test length in seconds, 1-1800, default 10 ({@code -t}); used unless
     *                       {@code bytes} or {@code blockcount} is set
     * @param bytes          bytes to transmit ({@code -n}), "" (default) when not set
     * @param blockcount     blocks to transmit ({@code -k}), "" (default) when not set; not together with bytes
     * @param window         socket buffer size ({@code -w}), default "0" (system default)
     * @param parallel       parallel streams, 1-128, default 1 ({@code -P})
     * @param reverse        server sends ({@code --reverse}), default false
     * @param bidirectional  both directions ({@code --bidir}), default false; not together with reverse
     * @param connectTimeout milliseconds, 1-1,000,000, default 1000 ({@code --connect-timeout})
     * @param tcp            TCP-mode bitrate and length
     * @param udp            UDP-mode bitrate and length
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientOptions(int port, int time, String bytes, String blockcount, String window, int parallel,
            boolean reverse, boolean bidirectional, int connectTimeout, Tcp tcp, Udp udp) {

        public static final int DEFAULT_PORT = 5201;
        public static final int DEFAULT_TIME = 10;
        public static final int MAX_TIME = 1800;
        public static final String DEFAULT_WINDOW = "0";
        public static final int DEFAULT_PARALLEL = 1;
        public static final int MAX_PARALLEL = 128;
        public static final int DEFAULT_CONNECT_TIMEOUT = 1000;
        /** OpenWISP Monitoring's bound (1000 s, "to avoid slowing down the queue"); the schema's too. */
        public static final int MAX_CONNECT_TIMEOUT = 1_000_000;

        /** Null strings and records take their defaults. */
        public ClientOptions {
            Validation.range(port, 1, 65535, "client_options.port");
            Validation.range(time, 1, MAX_TIME, "client_options.time");
            bytes = IperfSize.requireValidOrEmpty("client_options.bytes", bytes == null ? "" : bytes);
            blockcount = IperfSize.requireValidOrEmpty("client_options.blockcount",
                    blockcount == null ? "" : blockcount);
            if (!bytes.isEmpty() && !blockcount.isEmpty()) {
                throw new InvalidFieldException("client_options.blockcount", "bytes and blockcount cannot both be set");
            }
            window = IperfSize.requireValid("client_options.window", window == null ? DEFAULT_WINDOW : window);
            Validation.range(parallel, 1, MAX_PARALLEL, "client_options.parallel");
            if (reverse && bidirectional) {
                throw new InvalidFieldException("client_options.bidirectional",
                        "reverse and bidirectional cannot both be true");
            }
            Validation.range(connectTimeout, 1, MAX_CONNECT_TIMEOUT, "client_options.connect_timeout");
            tcp = tcp == null ? Tcp.defaults() : tcp;
            udp = udp == null ? Udp.defaults() : udp;
        }

        /** Builds from possibly missing values (null = default); the JSON creator. */
        @JsonCreator
        public static ClientOptions of(@JsonProperty("port") Integer port, @JsonProperty("time") Integer time,
                @JsonProperty("bytes") String bytes, @JsonProperty("blockcount") String blockcount,
                @JsonProperty("window") String window, @JsonProperty("parallel") Integer parallel,
                @JsonProperty("reverse") Boolean reverse, @JsonProperty("bidirectional") Boolean bidirectional,
                @JsonProperty("connect_timeout") Integer connectTimeout, @JsonProperty("tcp") Tcp tcp,
                @JsonProperty("udp") Udp udp) {
            return new ClientOptions(port == null ? DEFAULT_PORT : port, time == null ? DEFAULT_TIME : time,
                    bytes, blockcount, window, parallel == null ? DEFAULT_PARALLEL : parallel,
                    reverse != null && reverse, bidirectional != null && bidirectional,
                    connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout, tcp, udp);
        }

        public static ClientOptions defaults() {
            return of(null, null, null, null, null, null, null, null, null, null, null);
        }

        /** Which option ends the test: bytes or blockcount when set, else time. */
        public EndCondition endCondition() {
            return !bytes.isEmpty() ? EndCondition.BYTES
                    : !blockcount.isEmpty() ? EndCondition.BLOCKCOUNT : EndCondition.TIME;
        }
    }

    /**
     * TCP mode ({@code client_options.tcp}).
     *
     * @param bitrate target bitrate ({@code -b}), default "0" (unlimited)
     * @param length  buffer length ({@code -l}), default "128K"
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tcp(String bitrate, String length) {

        public static final String DEFAULT_BITRATE = "0";
        public static final String DEFAULT_LENGTH = "128K";

        public Tcp {
            bitrate = IperfSize.requireValid("client_options.tcp.bitrate", bitrate == null ? DEFAULT_BITRATE : bitrate);
            length = IperfSize.requireValid("client_options.tcp.length", length == null ? DEFAULT_LENGTH : length);
        }

        public static Tcp defaults() {
            return new Tcp(null, null);
        }
    }

    /**
     * UDP mode ({@code client_options.udp}).
     *
     * @param bitrate target bitrate ({@code -b}), default "30M"
     * @param length  datagram length ({@code -l}), default "0" (iperf3 chooses)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Udp(String bitrate, String length) {

        public static final String DEFAULT_BITRATE = "30M";
        public static final String DEFAULT_LENGTH = "0";

        public Udp {
            bitrate = IperfSize.requireValid("client_options.udp.bitrate", bitrate == null ? DEFAULT_BITRATE : bitrate);
            length = IperfSize.requireValid("client_options.udp.length", length == null ? DEFAULT_LENGTH : length);
        }

        public static Udp defaults() {
            return new Udp(null, null);
        }
    }
}
