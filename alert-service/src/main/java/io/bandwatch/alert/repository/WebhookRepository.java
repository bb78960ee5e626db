package io.bandwatch.alert.repository;

import static io.bandwatch.alert.repository.Rows.tuple;

import io.bandwatch.events.AlertNotification;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Webhooks of organizations, their deliveries and attempts. */
@ApplicationScoped
public class WebhookRepository {

    /** A delivery per active webhook of each notification's organization, in one statement. */
    public Uni<Void> queueDeliveries(SqlClient conn, List<AlertNotification> notifications) {
        UUID[] ids = new UUID[notifications.size()];
        UUID[] orgs = new UUID[notifications.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = notifications.get(i).eventId();
            orgs[i] = notifications.get(i).organizationId();
        }
        return conn.preparedQuery("INSERT INTO webhook_delivery (id, webhook_id, notification_id) "
                + "SELECT gen_random_uuid(), w.id, n.id FROM unnest($1::uuid[], $2::uuid[]) AS n(id, org) "
                + "JOIN webhook w ON w.organization_id = n.org AND w.active "
                + "ON CONFLICT (webhook_id, notification_id) DO NOTHING")
                .execute(tuple(ids, orgs)).replaceWithVoid();
    }
}
