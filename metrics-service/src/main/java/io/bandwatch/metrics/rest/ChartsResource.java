package io.bandwatch.metrics.rest;


import io.bandwatch.platform.problem.ProblemException;
import io.bandwatch.platform.security.Caller;
import io.bandwatch.metrics.service.ChartDefinition;
import io.bandwatch.metrics.service.ChartService;
import io.bandwatch.metrics.service.DeviceDirectory;
import io.bandwatch.metrics.service.TimeRange;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Charts of a device's checks, as JSON and as CSV. */
@Path("/api/v1/devices")
@Tag(name = "charts", description = "Time series of a device's checks")
@SecurityRequirement(name = "jwt")
@RolesAllowed({"user", "superuser", "service"})
@Blocking
public class ChartsResource {

    /** Where a chart answer's time went (W3C Server Timing: browsers' developer tools and the bench show it). */
    static final String SERVER_TIMING = "Server-Timing";

    private final ChartService charts;
    private final DeviceDirectory devices;
    private final Caller caller;

    ChartsResource(ChartService charts, DeviceDirectory devices, Caller caller) {
        this.charts = charts;
        this.devices = devices;
        this.caller = caller;
    }

    @GET
    @Path("{id}/charts")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every chart of the device's checks over a time range",
            description = "iperf3: bandwidth, transfer, retransmits, jitter, datagram, datagram_loss, iperf3_result; ping: uptime,"
                    + " packet_loss, rtt. Values per interval (mean, sum for transfer); x = interval starts in tz.")
    @APIResponse(responseCode = "200", description = "the charts")
    @APIResponse(responseCode = "400", description = "bad time, start, end or tz (problem details)")
    @APIResponse(responseCode = "404", description = "unknown device or one of another organization")
    public ChartService.Charts charts(@PathParam("id") UUID id,
            @Parameter(description = "1d, 3d, 7d (default), 30d or 365d, ending now") @QueryParam("time") String time,
            @Parameter(description = "custom range start, ISO-8601 date or date-time") @QueryParam("start") String start,
            @Parameter(description = "custom range end") @QueryParam("end") String end,
            @Parameter(description = "IANA time zone of the intervals (default UTC)") @QueryParam("tz") String tz,
            @Context HttpServerResponse response) {
        DeviceDirectory.Device device = device(id);
        ChartService.Timed result = charts.charts(device, range(time, start, end, tz), null);
        response.putHeader(SERVER_TIMING, result.serverTiming());
        return result.charts();
    }

    @GET
    @Path("{id}/charts/{chart}.csv")
    @Produces("text/csv")
    @Operation(summary = "One chart as CSV: interval start, then one column per trace (raw numbers)")
    @APIResponse(responseCode = "200", description = "CSV with a header line")
    @APIResponse(responseCode = "404", description = "unknown chart, unknown device or one of another organization")
    public Response csv(@PathParam("id") UUID id, @PathParam("chart") String chart,
            @QueryParam("time") String time, @QueryParam("start") String start, @QueryParam("end") String end,
            @QueryParam("tz") String tz) {
        DeviceDirectory.Device device = device(id);
        ChartDefinition def = ChartDefinition.find(chart)
                .orElseThrow(() -> ProblemException.notFound("chart"));
        ChartService.Timed result = charts.charts(device, range(time, start, end, tz), def.id());
        ChartService.Chart data = result.charts().charts().get(0);
        StringBuilder csv = new StringBuilder("time");
        for (ChartService.TraceData trace : data.traces()) {
            csv.append(',').append(trace.field()).append(" (").append(data.unit()).append(')');
        }
        csv.append('\n');
        for (int i = 0; i < data.x().size(); i++) {
            csv.append(data.x().get(i));
            for (ChartService.TraceData trace : data.traces()) {
                Double v = trace.values().get(i);
                csv.append(',').append(v == null ? "" : number(v));
            }
            csv.append('\n');
        }
        String file = device.id() + "-" + def.id() + ".csv";
        return Response.ok(csv.toString(), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .header(SERVER_TIMING, result.serverTiming()).build();
    }

    /**
     * A CSV number as spreadsheets and scripts read it: a plain decimal with the shortest digits that give the value
     * back ({@code 29997455.4399496}, never Java's {@code 2.99974554399496E7}); nothing for a value that is not finite.
     */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        if (v == 0) {
            return "0";
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private DeviceDirectory.Device device(UUID deviceId) {
        return devices.find(deviceId).filter(d -> caller.canRead(d.organizationId()))
                .orElseThrow(() -> ProblemException.notFound("device"));
    }

    private static TimeRange range(String time, String start, String end, String tz) {
        try {
            return TimeRange.parse(time, start, end, tz, Instant.now());
        } catch (TimeRange.InvalidParameter e) {
            throw ProblemException.validation(e.field(), e.getMessage());
        }
    }

}
