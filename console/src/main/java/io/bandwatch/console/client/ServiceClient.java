package io.bandwatch.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bandwatch.console.config.ConsoleConfig;
import io.bandwatch.console.rest.ConsoleProblems;
import io.bandwatch.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * HTTP calls from the console to the four services (Vert.x web client): every call has a connect timeout and an
 * overall timeout ({@code bandwatch.console.call-timeout}); an unreachable service is a 502 problem naming it,
 * one that does not answer in time a 504.
 */
@ApplicationScoped
public class ServiceClient {

    private final WebClient client;
    private final ConsoleConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    public ServiceClient(Vertx vertx, ConsoleConfig config) {
        this.config = config;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setFollowRedirects(false)
                .setMaxPoolSize(50)
                .setKeepAlive(true)
                .setUserAgent("bandwatch-console"));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** A request to {@code service} at {@code pathAndQuery} (starting with /), with the overall timeout set. */
    public HttpRequest<Buffer> request(Service service, HttpMethod method, String pathAndQuery) {
        return client.requestAbs(method, service.baseUrl(config) + pathAndQuery)
                .timeout(config.callTimeout().toMillis());
    }

    /** Sends the request; maps a connection failure to 502 and a timeout to 504, naming the service. */
    public Uni<HttpResponse<Buffer>> send(Service service, HttpRequest<Buffer> request, Buffer body) {
        Uni<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(body);
        return sent.onFailure().transform(e -> failure(service, e));
    }

    /** GET {@code path} as the user (Bearer token); answers the JSON body on 2xx, else a problem. */
    public Uni<JsonNode> getJson(Service service, String pathAndQuery, String jwt) {
        HttpRequest<Buffer> request = request(service, HttpMethod.GET, pathAndQuery)
                .putHeader("Accept", "application/json")
                .putHeader("Authorization", "Bearer " + jwt);
        return send(service, request, null).map(response -> parse(service, response));
    }

    /** POST a JSON body as the user; answers the JSON body on 2xx, else a problem. */
    public Uni<JsonNode> postJson(Service service, String path, Object body, String jwt) {
        HttpRequest<Buffer> request = request(service, HttpMethod.POST, path)
                .putHeader("Accept", "application/json")
                .putHeader("Content-Type", "application/json");
        if (jwt != null) {
            request.putHeader("Authorization", "Bearer " + jwt);
        }
        Buffer buffer;
        try {
            buffer = Buffer.buffer(json.writeValueAsBytes(body));
        } catch (IOException e) {
            return Uni.createFrom().failure(e);
        }
        return send(service, request, buffer).map(response -> parse(service, response));
    }

    private JsonNode parse(Service service, HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status == 401) {
            throw ProblemException.unauthorized(service.displayName() + " refused the session's token: sign in again");
        }
        if (status == 403) {
            throw ProblemException.forbidden(service.displayName() + " refused: your role does not allow this");
        }
        if (status == 404) {
            throw ConsoleProblems.notFound(service.displayName() + ": not found");
        }
        if (status < 200 || status > 299) {
            throw ConsoleProblems.badAnswer(service.displayName(), status);
        }
        try {
            Buffer body = response.body();
            return body == null || body.length() == 0 ? json.nullNode() : json.readTree(body.getBytes());
        } catch (IOException e) {
            throw ConsoleProblems.badAnswer(service.displayName(), status);
        }
    }

    static Throwable failure(Service service, Throwable e) {
        if (e instanceof ProblemException) {
            return e;
        }
        if (e instanceof TimeoutException || e.getCause() instanceof TimeoutException) {
            return ConsoleProblems.timeout(service.displayName());
        }
        return ConsoleProblems.unreachable(service.displayName());
    }

    public Map<String, String> headersOf(HttpResponse<Buffer> response, String... names) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String name : names) {
            String value = response.getHeader(name);
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }
}
