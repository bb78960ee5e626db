package io.bandwatch.alert.evaluation;

import io.bandwatch.events.CheckType;
import io.bandwatch.events.HealthStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Device health from its settings' states: critical when the ping {@code reachable} setting is in problem,
 * problem when any other active setting is in problem, unknown while no active setting has seen a point,
 * ok otherwise. Inactive settings do not count.
 */
public final class HealthRules {

    private HealthRules() {
    }

    /** What the rules need of a setting. */
    public record SettingView(CheckType checkType, String field, boolean active, AlertStatus status,
            boolean evaluated, String label) {
    }

    public record Health(HealthStatus status, String reason) {
    }

    /** What the rules need of a setting. */
    public static SettingView view(io.bandwatch.alert.repository.Setting s) {
        return new SettingView(s.checkType(), s.field(), s.active(), s.state().status(), s.state().lastPointAt() != null,
                s.label());
    }

    public static Health health(Collection<SettingView> settings) {
        List<String> critical = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean evaluated = false;
        for (SettingView s : settings) {
            if (!s.active()) {
                continue;
            }
            evaluated |= s.evaluated();
            if (s.status() == AlertStatus.PROBLEM) {
                if (s.checkType() == CheckType.PING && s.field().equals("reachable")) {
                    critical.add(s.label());
                } else {
                    problems.add(s.label());
                }
            }
        }
        if (!critical.isEmpty()) {
            List<String> all = new ArrayList<>(critical);
            all.addAll(problems);
            return new Health(HealthStatus.CRITICAL, "in problem: " + String.join(", ", all));
        }
        if (!problems.isEmpty()) {
            return new Health(HealthStatus.PROBLEM, "in problem: " + String.join(", ", problems));
        }
        return evaluated ? new Health(HealthStatus.OK, null) : new Health(HealthStatus.UNKNOWN, null);
    }
}
