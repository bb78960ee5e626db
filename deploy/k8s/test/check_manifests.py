#!/usr/bin/env python3
"""Checks the rendered Kubernetes manifests of Bandwatch (deploy/k8s) against the deployment rules.

Usage: check_manifests.py --repo REPO_ROOT NAME=RENDERED.yaml [NAME=RENDERED.yaml ...]
       [--passed N --failed M]   (results of earlier steps, e.g. rendering, added to the summary)

NAME is an overlay of deploy/k8s/overlays (its kustomization's `namespace` is expected on every
namespaced object). Prints `ok - ...` / `not ok - ...` per check, then `N passed, M failed`, and exits
non-zero when a check failed. The topics come from events/src/main/java/io/bandwatch/events/Topics.java,
so a topic added there without a KafkaTopic fails here. After the real checks it breaks copies of the
manifests on purpose (a missing probe, a Secret with data, ...) and checks that each break is caught.
"""
import argparse
import copy
import ipaddress
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.stderr.write("check_manifests.py needs PyYAML (Debian: apt-get install python3-yaml)\n")
    sys.exit(2)

SERVICES = {
    # name: (HTTP port, database or None, needs NET_RAW, autoscaled)
    "inventory-service": (8081, "inventory", False, False),
    "check-runner-service": (8082, "runner", True, True),
    "metrics-service": (8083, None, False, True),
    "alert-service": (8084, "alert", False, True),
}
# The topic an autoscaled service's work arrives on: its replicas beyond that topic's partitions would idle.
SCALE_TOPIC = {"check-runner-service": "check.requests", "metrics-service": "check.results", "alert-service": "check.results"}
# KEDA's operator (keda namespace): reads the consumer groups' lag from the brokers.
KEDA_OPERATOR = ("pod", {"app": "keda-operator"}, {"kubernetes.io/metadata.name": "keda"})
KEDA_LAG_USER = "keda-lag-reader"
# Quarkus' defaults for the pools a service does not size (reactive PostgreSQL client, Agroal JDBC).
QUARKUS_POOL_DEFAULTS = {"quarkus.datasource.reactive.max-size": 20, "quarkus.datasource.jdbc.max-size": 20}
# PostgreSQL connections CloudNativePG itself may hold (instance manager, status and metrics queries) beside
# superuser_reserved_connections: kept free in the budget.
CNPG_OWN_CONNECTIONS = 10
# The console: the web UI at one origin; no Kafka, no database, no key: Redis for sessions and the four
# services' HTTP APIs with each user's token.
CONSOLE = "console"
CONSOLE_PORT = 8080
HTTP_PORTS = dict({svc: spec[0] for svc, spec in SERVICES.items()}, **{CONSOLE: CONSOLE_PORT})
# Quarkus' management interface (health, metrics, OpenAPI, Swagger UI) of every service and the console: its
# default port, never in a Service or a route, reachable only from the monitoring namespace.
MANAGEMENT_PORT = 9000
MONITORING_NS = "monitoring"
OTLP_NS = "observability"
# DESIGN.md, "Kafka topics and events": who produces and who consumes each topic.
PRODUCES = {
    "inventory-service": {"inventory.devices", "inventory.iperf3-servers", "inventory.checks", "check.requests",
                          "inventory.token-revocations"},
    "check-runner-service": {"check.results"},
    "metrics-service": set(),
    "alert-service": {"alert.notifications", "devices.health"},
}
CONSUMES = {
    "inventory-service": {"devices.health", "inventory.token-revocations"},
    "check-runner-service": {"inventory.devices", "inventory.iperf3-servers", "inventory.checks", "check.requests",
                             "inventory.token-revocations"},
    "metrics-service": {"check.results", "inventory.devices", "inventory.token-revocations"},
    "alert-service": {"check.results", "inventory.devices", "inventory.checks", "inventory.token-revocations"},
}
NAMESPACED_EXCEPT = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                     "PriorityClass", "StorageClass"}


# --------------------------------------------------------------------------------------------- topics
def parse_topics(path):
    """The topics of Topics.java: {name: compacted}. Raises ValueError when the source has a shape
    this parser does not know (so a changed Topics.java fails loudly instead of passing)."""
    src = open(path, encoding="utf-8").read()
    consts = dict(re.findall(r'public\s+static\s+final\s+String\s+(\w+)\s*=\s*"([^"]*)"\s*;', src))
    suffix = consts.get("DEAD_LETTER_SUFFIX")
    if not suffix:
        raise ValueError("no DEAD_LETTER_SUFFIX constant")
    body = re.search(r"private\s+static\s+List<TopicSpec>\s+specs\(\)\s*\{(.*?)\n    \}", src, re.S)
    if not body:
        raise ValueError("no specs() method")
    body = body.group(1)
    specs = re.findall(r"new\s+TopicSpec\(\s*(\w+)\s*,\s*(true|false)\s*,", body)
    if not specs:
        raise ValueError("no `new TopicSpec(CONSTANT, true|false, ...)` in specs()")
    topics = {}
    for const, compact in specs:
        if const not in consts:
            raise ValueError("unknown constant " + const)
        topics[consts[const]] = compact == "true"
    loop = re.search(r"for\s*\(\s*TopicSpec\s+\w+\s*:\s*event\s*\)\s*\{(.*?)\n        \}", body, re.S)
    if not loop or "deadLetter(" not in loop.group(1):
        raise ValueError("no dead-letter loop `for (TopicSpec spec : event) { ... deadLetter(...) }` in specs()")
    excluded = {consts[c] for c in re.findall(r"equals\(\s*(\w+)\s*\)", loop.group(1))}
    if not re.search(r"if\s*\(\s*!", loop.group(1)) and excluded:
        raise ValueError("unexpected condition in the dead-letter loop")
    for name in list(topics):
        if name not in excluded:
            topics[name + suffix] = False
    # Every topic-like constant (lower case, dotted) must be a spec: a new constant without a spec is
    # as suspicious as a spec without a KafkaTopic.
    for const, value in consts.items():
        if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", value) and value not in topics:
            raise ValueError("constant %s = %s is not in Topics.SPECS" % (const, value))
    return topics


# ------------------------------------------------------------------------------------------- helpers
def labels_match(selector, labels):
    if selector is None:
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        key, op, values = e["key"], e["operator"], e.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def local_kafka_version(repo):
    """kafka.version of deploy/local/kafka/pom.xml: the Kafka the local stack and every test run."""
    try:
        pom = open(os.path.join(repo, "deploy", "local", "kafka", "pom.xml"), encoding="utf-8").read()
    except OSError:
        return None
    m = re.search(r"<kafka\.version>\s*([0-9][^<\s]*)\s*</kafka\.version>", pom)
    return m.group(1) if m else None


def service_properties(repo, svc):
    """The default-profile properties of a service's application.properties (no %profile lines)."""
    props = {}
    try:
        text = open(os.path.join(repo, svc, "src", "main", "resources", "application.properties"), encoding="utf-8").read()
    except OSError:
        return props
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("%") or "=" not in line:
            continue
        k, v = line.split("=", 1)
        props[k.strip()] = v.strip()
    return props


def resolve(props, value):
    for _ in range(5):
        m = re.search(r"\$\{([^}:]+)(?::([^}]*))?\}", value or "")
        if not m:
            break
        value = value[:m.start()] + props.get(m.group(1), m.group(2) or "") + value[m.end():]
    return value


def exports_metric(repo, svc, metric):
    """True when the service's main code registers a meter of that name (a string literal in its sources)."""
    root = os.path.join(repo, svc, "src", "main", "java")
    for folder, _, files in os.walk(root):
        for f in files:
            if f.endswith(".java") and '"%s"' % metric in open(os.path.join(folder, f), encoding="utf-8").read():
                return True
    return False


def consumer_group(repo, svc, topic):
    props = service_properties(repo, svc)
    return resolve(props, props.get('mp.messaging.incoming."%s".group.id' % topic) or props.get("kafka.group.id")
                   or props.get("quarkus.application.name") or svc)


def java_source(repo, rel):
    try:
        return open(os.path.join(repo, rel), encoding="utf-8").read()
    except OSError:
        return ""


def ssh_port_range(repo):
    """The ssh_port values inventory's API accepts: @Min/@Max on DeviceRequest.sshPort."""
    src = java_source(repo, "inventory-service/src/main/java/io/bandwatch/inventory/api/Models.java")
    m = re.search(r"@Min\((\d+)\)\s*@Max\((\d+)\)\s*Integer\s+sshPort", src)
    return (int(m.group(1)), int(m.group(2))) if m else None


WEBHOOK_TARGETS = "alert-service/src/main/java/io/bandwatch/alert/webhook/WebhookTargets.java"


def webhook_rules(repo):
    """(port range, internal networks) of alert-service's WebhookTargets: the ports a webhook URL may name and the
    networks no delivery may reach unless allowed by configuration."""
    src = java_source(repo, WEBHOOK_TARGETS)
    m = re.search(r"getPort\(\)\s*<\s*(\d+)\s*\|\|\s*uri\.getPort\(\)\s*>\s*(\d+)", src)
    lst = re.search(r"INTERNAL\s*=\s*List\.of\((.*?)\)\s*\.stream", src, re.S)
    nets = re.findall(r'"([^"]+)"', lst.group(1)) if lst else []
    return ((int(m.group(1)), int(m.group(2))) if m else None), nets


def merge_ranges(ranges):
    out = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def image_pinned(image):
    if "@sha256:" in image:
        return True
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return False
    tag = last.split(":", 1)[1]
    return tag not in ("", "latest")


class Checker:
    def __init__(self, name, docs, namespace, topics, readme_text, repo):
        self.name, self.docs, self.ns, self.topics = name, docs, namespace, topics
        self.readme, self.repo = readme_text, repo
        self.results = []

    def check(self, ok, msg):
        self.results.append((bool(ok), "%s: %s" % (self.name, msg)))
        return ok

    def of_kind(self, kind):
        return [d for d in self.docs if d.get("kind") == kind]

    def get(self, kind, name):
        for d in self.docs:
            if d.get("kind") == kind and d["metadata"].get("name") == name:
                return d
        return None

    # ------------------------------------------------------------------------------------ all checks
    def run(self):
        for step in (self.check_objects, self.check_workloads, self.check_services, self.check_management_not_exposed, self.check_keda,
                     self.check_egress_agreement, self.check_no_secret_on_argv, self.check_redis,
                     self.check_routes, self.check_console, self.check_secrets,
                     self.check_kafka, self.check_topics, self.check_users, self.check_datastores,
                     self.check_network):
            try:
                step()
            except Exception as e:  # a malformed object is a failure, not a crash
                self.check(False, "%s raised %s: %s" % (step.__name__, type(e).__name__, e))
        return self.results

    def check_objects(self):
        bad = [d for d in self.docs if not (d.get("apiVersion") and d.get("kind") and (d.get("metadata") or {}).get("name"))]
        self.check(not bad and self.docs, "%d objects, each with apiVersion, kind and name" % len(self.docs))
        wrong_ns = ["%s/%s" % (d["kind"], d["metadata"]["name"]) for d in self.docs
                    if d["kind"] not in NAMESPACED_EXCEPT and d["metadata"].get("namespace") != self.ns]
        self.check(not wrong_ns, "every object is in namespace %s%s" % (self.ns, (": not " + ", ".join(wrong_ns)) if wrong_ns else ""))
        unlabelled = ["%s/%s" % (d["kind"], d["metadata"]["name"]) for d in self.docs
                      if (d["metadata"].get("labels") or {}).get("app.kubernetes.io/part-of") != "bandwatch"
                      or not (d["metadata"].get("labels") or {}).get("app.kubernetes.io/name")]
        self.check(not unlabelled, "every object has labels app.kubernetes.io/name and part-of=bandwatch%s"
                   % ((": missing on " + ", ".join(unlabelled)) if unlabelled else ""))

    def workloads(self):
        return [d for d in self.docs if d["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")]

    def check_workloads(self):
        wl = self.workloads()
        self.check(wl, "there are workloads")
        for d in wl:
            wname = "%s/%s" % (d["kind"], d["metadata"]["name"])
            pod = d["spec"]["template"]["spec"]
            psc = pod.get("securityContext") or {}
            svc = d["metadata"]["name"] if d["metadata"]["name"] in HTTP_PORTS else None
            sa = self.get("ServiceAccount", pod.get("serviceAccountName", "default"))
            self.check(pod.get("automountServiceAccountToken") is False
                       or (sa is not None and sa.get("automountServiceAccountToken") is False),
                       "%s does not mount a service account token" % wname)
            self.check((psc.get("seccompProfile") or {}).get("type") == "RuntimeDefault",
                       "%s has seccompProfile RuntimeDefault" % wname)
            containers = (pod.get("initContainers") or []) + pod["containers"]
            for c in containers:
                cname = "%s container %s" % (wname, c["name"])
                csc = c.get("securityContext") or {}
                if c in pod["containers"]:
                    lp, rp = c.get("livenessProbe"), c.get("readinessProbe")
                    self.check(lp and rp, "%s has liveness and readiness probes" % cname)
                    if svc:
                        port = HTTP_PORTS[svc]
                        ports = {p.get("name"): p["containerPort"] for p in c.get("ports") or []}
                        self.check(ports.get("http") == port, "%s listens on %d (http)" % (cname, port))
                        self.check(ports.get("management") == MANAGEMENT_PORT,
                                   "%s has its management interface on %d (port name management)" % (cname, MANAGEMENT_PORT))
                        for probe, path in ((lp, "/q/health/live"), (rp, "/q/health/ready"), (c.get("startupProbe"), "/q/health/started")):
                            hg = (probe or {}).get("httpGet") or {}
                            pport = ports.get(hg.get("port"), hg.get("port"))
                            self.check(hg.get("path") == path and pport == MANAGEMENT_PORT,
                                       "%s probes %s on the management port %d" % (cname, path, MANAGEMENT_PORT))
                        ann = d["spec"]["template"]["metadata"].get("annotations") or {}
                        self.check(ann.get("prometheus.io/port") in (None, str(MANAGEMENT_PORT)),
                                   "%s is scraped on the management port (prometheus.io/port)" % wname)
                        # the port it really listens on: the environment, else its application.properties (which
                        # names the local stack's port, 9080-9084), else Quarkus' default
                        props = service_properties(self.repo, svc)
                        mport = self.env_value(d, "QUARKUS_MANAGEMENT_PORT") or props.get("quarkus.management.port") \
                            or str(MANAGEMENT_PORT)
                        self.check(mport == str(MANAGEMENT_PORT),
                                   "%s runs its management interface on %d (QUARKUS_MANAGEMENT_PORT: %s)"
                                   % (wname, MANAGEMENT_PORT, mport))
                        # build time: without it health, metrics and OpenAPI stay on the http port and port 9000
                        # is closed (every probe fails)
                        self.check(props.get("quarkus.management.enabled") == "true",
                                   "%s is built with its management interface (quarkus.management.enabled=true in "
                                   "%s/src/main/resources/application.properties)" % (wname, svc))
                res = c.get("resources") or {}
                self.check(all((res.get(k) or {}).get(r) for k in ("requests", "limits") for r in ("cpu", "memory")),
                           "%s has cpu and memory requests and limits" % cname)
                non_root = csc.get("runAsNonRoot", psc.get("runAsNonRoot"))
                uid = csc.get("runAsUser", psc.get("runAsUser"))
                self.check(non_root is True and uid != 0, "%s runs as non-root" % cname)
                self.check(csc.get("readOnlyRootFilesystem") is True, "%s has a read-only root filesystem" % cname)
                self.check(csc.get("allowPrivilegeEscalation") is False, "%s forbids privilege escalation" % cname)
                self.check(not csc.get("privileged"), "%s is not privileged" % cname)
                caps = csc.get("capabilities") or {}
                self.check("ALL" in (caps.get("drop") or []), "%s drops ALL capabilities" % cname)
                want = ["NET_RAW"] if svc in SERVICES and SERVICES[svc][2] else []
                self.check(sorted(caps.get("add") or []) == want,
                           "%s adds capabilities %s" % (cname, want or "none"))
                self.check(image_pinned(c.get("image", "")), "%s image %s has a pinned tag" % (cname, c.get("image")))
                if svc:
                    mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts") or []}
                    vols = {v["name"]: v for v in pod.get("volumes") or []}
                    self.check("emptyDir" in vols.get(mounts.get("/tmp"), {}), "%s has an emptyDir at /tmp" % cname)

    def env_value(self, dep, name):
        """The value a Deployment's first container gets for an environment variable (env, then its ConfigMaps)."""
        c = dep["spec"]["template"]["spec"]["containers"][0]
        for e in c.get("env") or []:
            if e["name"] == name:
                return e.get("value")
        value = None
        for ef in c.get("envFrom") or []:
            cm = self.get("ConfigMap", ef["configMapRef"]["name"]) if "configMapRef" in ef else None
            if cm and name in (cm.get("data") or {}):
                value = cm["data"][name]
        return value

    def check_management_not_exposed(self):
        """No Service sends traffic to a management port: users reach only the http ports."""
        for s in self.of_kind("Service"):
            sel = s["spec"].get("selector") or {}
            for d in self.workloads():
                if d["metadata"]["name"] not in HTTP_PORTS or not sel or not all(
                        (d["spec"]["template"]["metadata"].get("labels") or {}).get(k) == v for k, v in sel.items()):
                    continue
                bad = [p for p in s["spec"].get("ports") or [] if p.get("targetPort") in ("management", MANAGEMENT_PORT)
                       or (p.get("targetPort") is None and p.get("port") == MANAGEMENT_PORT)]
                self.check(not bad, "Service %s does not expose the management port of %s"
                           % (s["metadata"]["name"], d["metadata"]["name"]))

    def check_services(self):
        for svc, (port, _db, _raw, hpa) in SERVICES.items():
            dep = self.get("Deployment", svc)
            if not self.check(dep, "%s has a Deployment" % svc):
                continue
            pod_labels = dep["spec"]["template"]["metadata"]["labels"]
            self.check(labels_match(dep["spec"]["selector"], pod_labels), "%s Deployment selector matches its pods" % svc)
            s = self.get("Service", svc)
            self.check(s and s["spec"].get("selector") and all(pod_labels.get(k) == v for k, v in s["spec"]["selector"].items())
                       and any(p["port"] == port for p in s["spec"]["ports"]),
                       "%s has a Service on port %d selecting its pods" % (svc, port))
            sa = self.get("ServiceAccount", svc)
            self.check(sa and sa.get("automountServiceAccountToken") is False
                       and dep["spec"]["template"]["spec"].get("serviceAccountName") == svc,
                       "%s has its own ServiceAccount with automountServiceAccountToken false" % svc)
            self.check(self.get("ConfigMap", svc), "%s has a ConfigMap" % svc)
            pdbs = [p for p in self.of_kind("PodDisruptionBudget") if labels_match(p["spec"].get("selector"), pod_labels)]
            self.check(len(pdbs) == 1, "%s has a PodDisruptionBudget" % svc)
            scalers = self.autoscalers(svc)
            if hpa:
                self.check(len(scalers) == 1 and "replicas" not in dep["spec"],
                           "%s has exactly one autoscaler, a HorizontalPodAutoscaler or a KEDA ScaledObject (%s), and its "
                           "Deployment leaves replicas to it" % (svc, ", ".join(k for k, _lo, _hi in scalers) or "none"))
                topic = SCALE_TOPIC[svc]
                t = self.kafka_topic(topic)
                for kind, lo, hi in scalers:
                    self.check(isinstance(hi, int) and 1 <= (lo if isinstance(lo, int) else 1) <= hi,
                               "%s %s has 1 <= minimum <= maximum replicas" % (svc, kind))
                    self.check(t and isinstance(hi, int) and hi <= t["spec"]["partitions"],
                               "%s %s: at most %s replicas <= the %s partitions of %s" % (
                                   svc, kind, hi, t["spec"]["partitions"] if t else "?", topic))
            else:
                self.check(not scalers, "%s has no autoscaler" % svc)
            env = {}
            c = dep["spec"]["template"]["spec"]["containers"][0]
            for e in c.get("env") or []:
                env[e["name"]] = e
            cms = [self.get("ConfigMap", ef["configMapRef"]["name"]) for ef in c.get("envFrom") or [] if "configMapRef" in ef]
            keys = set(env)
            for cm in cms:
                if cm:
                    keys |= set(cm.get("data") or {})
            need = {"QUARKUS_HTTP_PORT", "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SASL_JAAS_CONFIG", "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                    "MP_JWT_VERIFY_ISSUER", "QUARKUS_LOG_CONSOLE_JSON_ENABLED"}
            if SERVICES[svc][1]:
                need |= {"QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"}
            self.check(need <= keys, "%s gets its configuration (%s)" % (svc, ", ".join(sorted(need - keys)) or "all set"))
            for k in ("QUARKUS_DATASOURCE_PASSWORD", "KAFKA_SASL_JAAS_CONFIG"):
                if k in need:
                    self.check(k in env and "secretKeyRef" in (env[k].get("valueFrom") or {}), "%s takes %s from a Secret" % (svc, k))
            if SERVICES[svc][1]:
                urls = [cm["data"].get("QUARKUS_DATASOURCE_JDBC_URL", "") for cm in cms if cm]
                self.check(any(re.search(r"/%s(\?|$)" % SERVICES[svc][1], u) for u in urls),
                           "%s uses its own database %s" % (svc, SERVICES[svc][1]))

    def autoscalers(self, svc):
        """[(kind, min, max)] of the HPAs and ScaledObjects that scale Deployment svc."""
        out = []
        for h in self.of_kind("HorizontalPodAutoscaler"):
            ref = h["spec"]["scaleTargetRef"]
            if ref.get("kind") == "Deployment" and ref.get("name") == svc:
                out.append(("HorizontalPodAutoscaler", h["spec"].get("minReplicas", 1), h["spec"].get("maxReplicas")))
        for so in self.of_kind("ScaledObject"):
            ref = so["spec"]["scaleTargetRef"]
            if ref.get("kind", "Deployment") == "Deployment" and ref.get("name") == svc:
                out.append(("ScaledObject", so["spec"].get("minReplicaCount", 0), so["spec"].get("maxReplicaCount", 100)))
        return out

    def kafka_topic(self, name):
        for t in self.of_kind("KafkaTopic"):
            if t["spec"].get("topicName", t["metadata"]["name"]) == name:
                return t
        return None

    def check_keda(self):
        """KEDA ScaledObjects: kafka triggers on the consumer group the service really uses, through TLS and SCRAM
        with the lag reader's credentials, on a topic with at least maxReplicaCount partitions; Prometheus
        triggers on this namespace's series."""
        sos = self.of_kind("ScaledObject")
        if not sos:
            return
        auths = {a["metadata"]["name"]: a for a in self.of_kind("TriggerAuthentication")}
        k = self.kafka()
        bootstrap = "%s-kafka-bootstrap.%s.svc:9093" % (k["metadata"]["name"] if k else "?", self.ns)
        for so in sos:
            name, svc = so["metadata"]["name"], so["spec"]["scaleTargetRef"].get("name")
            triggers = so["spec"].get("triggers") or []
            self.check(triggers, "ScaledObject %s has triggers" % name)
            for tr in triggers:
                md = tr.get("metadata") or {}
                if tr["type"] == "kafka":
                    want_group = consumer_group(self.repo, svc, md.get("topic"))
                    self.check(md.get("consumerGroup") == want_group,
                               "ScaledObject %s reads the lag of %s's consumer group %s on %s (trigger: %s)"
                               % (name, svc, want_group, md.get("topic"), md.get("consumerGroup")))
                    self.check(md.get("topic") in CONSUMES.get(svc, set()), "ScaledObject %s: %s consumes %s" % (name, svc, md.get("topic")))
                    props = service_properties(self.repo, svc)
                    reset = resolve(props, props.get('mp.messaging.incoming."%s".auto.offset.reset' % md.get("topic")) or "latest")
                    self.check(md.get("offsetResetPolicy", "latest") == reset,
                               "ScaledObject %s counts a new group's lag from %s, as %s starts reading (trigger: %s)"
                               % (name, reset, svc, md.get("offsetResetPolicy", "latest")))
                    self.check(md.get("bootstrapServers") == bootstrap,
                               "ScaledObject %s reaches Kafka as %s (KEDA runs in another namespace)" % (name, bootstrap))
                    self.check(md.get("sasl") == "scram_sha512" and md.get("tls") == "enable",
                               "ScaledObject %s uses TLS and SCRAM-SHA-512" % name)
                    ref = (tr.get("authenticationRef") or {}).get("name")
                    params = {r["parameter"] for r in (auths.get(ref) or {}).get("spec", {}).get("secretTargetRef") or []}
                    self.check({"username", "password", "ca"} <= params,
                               "ScaledObject %s authenticates with TriggerAuthentication %s (username, password, ca)" % (name, ref))
                    t = self.kafka_topic(md.get("topic"))
                    self.check(t and so["spec"].get("maxReplicaCount", 100) <= t["spec"]["partitions"],
                               "ScaledObject %s: maxReplicaCount within the partitions of %s" % (name, md.get("topic")))
                elif tr["type"] == "prometheus":
                    self.check('namespace="%s"' % self.ns in md.get("query", "") and md.get("serverAddress"),
                               "ScaledObject %s queries Prometheus for namespace %s" % (name, self.ns))
                    metrics = set(re.findall(r"\b(bandwatch_[a-z0-9_]+)", md.get("query", "")))
                    unknown = sorted(m for m in metrics if not exports_metric(self.repo, svc, m))
                    self.check(metrics and not unknown, "ScaledObject %s queries metrics %s exports (%s)"
                               % (name, svc, ", ".join(unknown or sorted(metrics)) or "none named"))
                else:
                    self.check(False, "ScaledObject %s: unexpected trigger type %s" % (name, tr["type"]))
        if any(tr["type"] == "kafka" for so in sos for tr in so["spec"].get("triggers") or []):
            pods = self.pods()
            ns_labels = {"kubernetes.io/metadata.name": self.ns}
            got = {(dst, p) for dst, dl in pods.items() for p in (9093, 9091, 9090, 5432, 6379, 8081, MANAGEMENT_PORT)
                   if self.allowed("Ingress", dl, KEDA_OPERATOR, p)
                   and not self.allowed("Ingress", dl, ("pod", {"app": "stranger"}, {"kubernetes.io/metadata.name": "elsewhere"}), p)}
            self.check(got == {("kafka", 9093)}, "KEDA's operator reaches the Kafka listener 9093 and nothing else%s"
                       % ("" if got == {("kafka", 9093)} else ": " + str(sorted(got))))

    def check_console(self):
        dep = self.get("Deployment", CONSOLE)
        if not self.check(dep, "the console has a Deployment"):
            return
        pod_labels = dep["spec"]["template"]["metadata"]["labels"]
        self.check(labels_match(dep["spec"]["selector"], pod_labels), "the console Deployment selector matches its pods")
        s = self.get("Service", CONSOLE)
        self.check(s and s["spec"].get("selector") and all(pod_labels.get(k) == v for k, v in s["spec"]["selector"].items())
                   and any(p["port"] == CONSOLE_PORT for p in s["spec"]["ports"]),
                   "the console has a Service on port %d selecting its pods" % CONSOLE_PORT)
        sa = self.get("ServiceAccount", CONSOLE)
        self.check(sa and sa.get("automountServiceAccountToken") is False
                   and dep["spec"]["template"]["spec"].get("serviceAccountName") == CONSOLE,
                   "the console has its own ServiceAccount with automountServiceAccountToken false")
        pdbs = [p for p in self.of_kind("PodDisruptionBudget") if labels_match(p["spec"].get("selector"), pod_labels)]
        self.check(len(pdbs) == 1, "the console has a PodDisruptionBudget")
        c = dep["spec"]["template"]["spec"]["containers"][0]
        env = {e["name"]: e for e in c.get("env") or []}
        keys = set(env)
        urls = {}
        for ef in c.get("envFrom") or []:
            cm = self.get("ConfigMap", ef["configMapRef"]["name"]) if "configMapRef" in ef else None
            if cm:
                keys |= set(cm.get("data") or {})
                urls.update(cm.get("data") or {})
        need = {"QUARKUS_HTTP_PORT", "QUARKUS_REDIS_HOSTS", "QUARKUS_REDIS_PASSWORD", "QUARKUS_LOG_CONSOLE_JSON_ENABLED",
                "BANDWATCH_CONSOLE_SECURE_COOKIE"}
        want_urls = {"BANDWATCH_CONSOLE_SERVICES_" + k: "http://%s:%d" % (svc, SERVICES[svc][0]) for k, svc in
                     (("INVENTORY", "inventory-service"), ("RUNNER", "check-runner-service"),
                      ("METRICS", "metrics-service"), ("ALERT", "alert-service"))}
        self.check(need | set(want_urls) <= keys,
                   "the console gets its configuration (%s)" % (", ".join(sorted(need | set(want_urls) - keys)) or "all set"))
        self.check(all(urls.get(k) == v for k, v in want_urls.items()), "the console calls the four services' Services")
        self.check("secretKeyRef" in ((env.get("QUARKUS_REDIS_PASSWORD") or {}).get("valueFrom") or {}),
                   "the console takes QUARKUS_REDIS_PASSWORD from a Secret")
        self.check(not any(k.startswith("KAFKA_") or k.startswith("QUARKUS_DATASOURCE") or k.startswith("SMALLRYE_JWT_SIGN")
                           for k in keys), "the console gets no Kafka, database or signing settings")

    def referenced_secrets(self):
        names = set()
        for d in self.workloads():
            pod = d["spec"]["template"]["spec"]
            for c in (pod.get("initContainers") or []) + pod["containers"]:
                for e in c.get("env") or []:
                    ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                    if ref:
                        names.add(ref["name"])
                for ef in c.get("envFrom") or []:
                    if "secretRef" in ef:
                        names.add(ef["secretRef"]["name"])
            for v in pod.get("volumes") or []:
                if "secret" in v:
                    names.add(v["secret"]["secretName"])
        for ing in self.of_kind("Ingress"):
            for t in ing["spec"].get("tls") or []:
                if t.get("secretName"):
                    names.add(t["secretName"])
        for gw in self.of_kind("Gateway"):
            for l in gw["spec"].get("listeners") or []:
                for c in (l.get("tls") or {}).get("certificateRefs") or []:
                    names.add(c["name"])
        for a in self.of_kind("TriggerAuthentication"):
            for r in a["spec"].get("secretTargetRef") or []:
                names.add(r["name"])
        for u in self.of_kind("KafkaUser"):
            ref = ((((u["spec"].get("authentication") or {}).get("password") or {}).get("valueFrom") or {}).get("secretKeyRef") or {})
            if ref.get("name"):
                names.add(ref["name"])
        for cl in self.of_kind("Cluster"):
            spec = cl["spec"]
            s = ((spec.get("bootstrap") or {}).get("initdb") or {}).get("secret")
            if s:
                names.add(s["name"])
            for r in (spec.get("managed") or {}).get("roles") or []:
                if r.get("passwordSecret"):
                    names.add(r["passwordSecret"]["name"])
        return names

    def check_secrets(self):
        with_data = ["Secret/" + s["metadata"]["name"] for s in self.of_kind("Secret") if s.get("data") or s.get("stringData")]
        self.check(not with_data, "no Secret carries data or stringData%s" % (": " + ", ".join(with_data) if with_data else ""))
        gens = ["%s/%s" % (d["kind"], d["metadata"]["name"]) for d in self.docs if d["kind"] == "Secret"]
        self.check(not gens, "no Secret object is rendered (all are created out of band or by the operators)%s"
                   % (": " + ", ".join(gens) if gens else ""))
        refs = self.referenced_secrets()
        undocumented = sorted(n for n in refs if n not in self.readme)
        self.check(refs and not undocumented, "every referenced Secret is documented in deploy/k8s/README.md (%d)%s"
                   % (len(refs), (": not " + ", ".join(undocumented)) if undocumented else ""))

    def kafka(self):
        ks = self.of_kind("Kafka")
        return ks[0] if len(ks) == 1 else None

    def brokers(self):
        k = self.kafka()
        return sum(p["spec"]["replicas"] for p in self.of_kind("KafkaNodePool")
                   if k and p["metadata"]["labels"].get("strimzi.io/cluster") == k["metadata"]["name"]
                   and "broker" in p["spec"].get("roles", []))

    def check_kafka(self):
        k = self.kafka()
        if not self.check(k, "one Strimzi Kafka"):
            return
        ann = k["metadata"].get("annotations") or {}
        self.check(ann.get("strimzi.io/kraft") == "enabled" and ann.get("strimzi.io/node-pools") == "enabled"
                   and "zookeeper" not in k["spec"], "Kafka runs in KRaft mode with node pools")
        pools = [p for p in self.of_kind("KafkaNodePool") if p["metadata"]["labels"].get("strimzi.io/cluster") == k["metadata"]["name"]]
        roles = {r for p in pools for r in p["spec"].get("roles", [])}
        self.check(pools and roles == {"controller", "broker"}, "KafkaNodePools give controllers and brokers")
        self.check(all(p["spec"].get("storage", {}).get("type") in ("jbod", "persistent-claim") for p in pools),
                   "Kafka nodes keep data on persistent volumes")
        kspec = k["spec"]["kafka"]
        conf = kspec.get("config") or {}
        self.check(conf.get("auto.create.topics.enable") in (False, "false"), "Kafka does not auto-create topics")
        self.check((kspec.get("authorization") or {}).get("type") == "simple", "Kafka authorizes with ACLs")
        listeners = kspec.get("listeners") or []
        self.check(listeners and all(l.get("tls") and (l.get("authentication") or {}).get("type") in ("scram-sha-512", "tls")
                                     for l in listeners), "every Kafka listener has TLS and authentication")
        peers = set()
        for l in listeners:
            for p in l.get("networkPolicyPeers") or []:
                sel = p.get("podSelector") or {}
                for e in sel.get("matchExpressions") or []:
                    if e["key"] == "app.kubernetes.io/name" and e["operator"] == "In":
                        peers |= set(e["values"])
                v = (sel.get("matchLabels") or {}).get("app.kubernetes.io/name")
                if v:
                    peers.add(v)
            self.check(l.get("networkPolicyPeers") and peers == set(SERVICES),
                       "Kafka listener %s admits only the four services" % l.get("name"))
        local = local_kafka_version(self.repo)
        version = str(kspec.get("version") or "")
        self.check(local and version.split(".")[:2] == local.split(".")[:2],
                   "Kafka %s in Strimzi has the major.minor of the local stack's and the tests' Kafka %s "
                   "(deploy/local/kafka/pom.xml)" % (version or "(unset)", local or "(not found)"))
        acl_ops = [a for u in self.of_kind("KafkaUser") for a in ((u["spec"].get("authorization") or {}).get("acls") or [])
                   if "operation" in a]
        self.check(not acl_ops, "KafkaUser ACLs use `operations` (Strimzi 0.49 refuses the deprecated `operation`)")
        rf = int(conf.get("default.replication.factor", 1))
        self.check(rf <= self.brokers(), "default.replication.factor %d <= %d brokers" % (rf, self.brokers()))
        for key in ("offsets.topic.replication.factor", "transaction.state.log.replication.factor"):
            self.check(int(conf.get(key, 3)) <= self.brokers(), "%s fits the brokers" % key)

    def check_topics(self):
        k = self.kafka()
        cluster = k["metadata"]["name"] if k else None
        kts = {}
        for t in self.of_kind("KafkaTopic"):
            kts[t["spec"].get("topicName", t["metadata"]["name"])] = t
        brokers = self.brokers()
        rf = int(((k or {}).get("spec", {}).get("kafka", {}).get("config") or {}).get("default.replication.factor", 1))
        for name, compact in sorted(self.topics.items()):
            t = kts.get(name)
            if not self.check(t, "topic %s has a KafkaTopic" % name):
                continue
            spec, conf = t["spec"], t["spec"].get("config") or {}
            self.check(t["metadata"]["labels"].get("strimzi.io/cluster") == cluster, "KafkaTopic %s belongs to Kafka %s" % (name, cluster))
            policy = "compact" if compact else "delete"
            rule = name.startswith("inventory.") and not name.endswith(".dlq") or name == "devices.health"
            self.check(conf.get("cleanup.policy") == policy and (policy == "compact") == rule,
                       "KafkaTopic %s has cleanup.policy %s" % (name, policy))
            self.check(isinstance(spec.get("partitions"), int) and spec["partitions"] >= 1, "KafkaTopic %s has partitions" % name)
            r = spec.get("replicas")
            isr = int(conf.get("min.insync.replicas", 1))
            self.check(isinstance(r, int) and r == rf and r <= brokers,
                       "KafkaTopic %s has %s replicas (cluster default %d, %d brokers)" % (name, r, rf, brokers))
            self.check(isr <= (r or 0) and (r == 1 or isr < r) and (r < 3 or isr >= 2),
                       "KafkaTopic %s min.insync.replicas %d fits %s replicas" % (name, isr, r))
            if not compact:
                self.check(int(conf.get("retention.ms", 0)) > 0, "KafkaTopic %s has a retention" % name)
        stray = sorted(set(kts) - set(self.topics))
        self.check(not stray, "every KafkaTopic is a topic of Topics.java%s" % (": not " + ", ".join(stray) if stray else ""))

    def check_users(self):
        users = {u["metadata"]["name"]: u for u in self.of_kind("KafkaUser")}
        lag_groups = {(tr.get("metadata") or {}).get("consumerGroup") for so in self.of_kind("ScaledObject")
                      for tr in so["spec"].get("triggers") or [] if tr["type"] == "kafka"}
        lag_topics = {(tr.get("metadata") or {}).get("topic") for so in self.of_kind("ScaledObject")
                      for tr in so["spec"].get("triggers") or [] if tr["type"] == "kafka"}
        if lag_groups or KEDA_LAG_USER in users:
            u = users.get(KEDA_LAG_USER)
            got = sorted((a["resource"]["type"], a["resource"]["name"], a["resource"].get("patternType", "literal"),
                          tuple(sorted(a.get("operations") or []))) for a in
                         ((u or {}).get("spec", {}).get("authorization") or {}).get("acls") or [])
            want = sorted([("topic", t, "literal", ("Describe",)) for t in lag_topics]
                          + [("group", g, "literal", ("Describe",)) for g in lag_groups])
            self.check(u and got == want, "KafkaUser %s may only describe the lag KEDA reads (%s)"
                       % (KEDA_LAG_USER, ", ".join("%s %s" % (w[0], w[1]) for w in want)))
            users.pop(KEDA_LAG_USER, None)
        stray = sorted(set(users) - set(SERVICES))
        self.check(not stray, "a KafkaUser only for the services%s" % (": not " + ", ".join(stray) if stray else ""))
        for svc in SERVICES:
            u = users.get(svc)
            if not self.check(u, "%s has a KafkaUser" % svc):
                continue
            self.check((u["spec"].get("authentication") or {}).get("type") in ("scram-sha-512", "tls"),
                       "KafkaUser %s authenticates" % svc)
            acls = (u["spec"].get("authorization") or {}).get("acls") or []
            read, write, other, groups = set(), set(), [], []
            for a in acls:
                res, ops = a["resource"], set(a.get("operations") or [a.get("operation")])
                if res["type"] == "topic" and res.get("patternType", "literal") == "literal" and res["name"] != "*":
                    if ops == {"Read", "Describe"} or ops == {"Read"}:
                        read.add(res["name"])
                    elif ops == {"Write", "Describe"} or ops == {"Write"}:
                        write.add(res["name"])
                    else:
                        other.append("%s %s" % (res["name"], sorted(ops)))
                elif res["type"] == "group" and ops == {"Read"} and res["name"] != "*" and res["name"].startswith(svc):
                    groups.append(res["name"])
                else:
                    other.append("%s %s %s" % (res["type"], res.get("name"), sorted(ops)))
            want_read = CONSUMES[svc]
            want_write = PRODUCES[svc] | {t + ".dlq" for t in CONSUMES[svc] if t + ".dlq" in self.topics}
            self.check(read == want_read, "KafkaUser %s reads exactly %s" % (svc, sorted(want_read)))
            self.check(write == want_write, "KafkaUser %s writes exactly %s" % (svc, sorted(want_write)))
            self.check(not other, "KafkaUser %s has no other ACL%s" % (svc, (": " + "; ".join(other)) if other else ""))
            self.check(bool(groups) == bool(want_read), "KafkaUser %s reads only its own consumer groups" % svc)

    def check_datastores(self):
        clusters = self.of_kind("Cluster")
        if self.check(len(clusters) == 1, "one CloudNativePG Cluster"):
            cl = clusters[0]
            dbs = {}
            init = (cl["spec"].get("bootstrap") or {}).get("initdb") or {}
            if init.get("database"):
                dbs[init["database"]] = init.get("owner")
            for d in self.of_kind("Database"):
                if d["spec"]["cluster"]["name"] == cl["metadata"]["name"]:
                    dbs[d["spec"]["name"]] = d["spec"]["owner"]
            roles = {r["name"] for r in (cl["spec"].get("managed") or {}).get("roles") or [] if r.get("login")}
            if init.get("owner"):
                roles.add(init["owner"])
            want = {db for (_p, db, _r, _h) in SERVICES.values() if db}
            self.check(set(dbs) == want and all(dbs[d] in roles for d in dbs) and len(set(dbs.values())) == len(dbs),
                       "PostgreSQL has databases %s, each with its own login role" % sorted(want))
            self.check(cl["spec"].get("enableSuperuserAccess") is False, "PostgreSQL superuser access is off")
            self.check_pooler(cl)
            self.check((cl["spec"].get("storage") or {}).get("size"), "PostgreSQL has persistent storage")
        for name in ("bandwatch-redis", "bandwatch-influxdb"):
            s = self.get("StatefulSet", name)
            if self.check(s, "%s is a StatefulSet" % name):
                vct = [v["metadata"]["name"] for v in s["spec"].get("volumeClaimTemplates") or []]
                mounts = {m["name"] for c in s["spec"]["template"]["spec"]["containers"] for m in c.get("volumeMounts") or []}
                self.check(vct and set(vct) <= mounts, "%s keeps its data on a persistent volume" % name)
                self.check(self.get("Service", name), "%s has a Service" % name)

    def max_replicas(self, svc):
        scalers = self.autoscalers(svc)
        if scalers:
            return max(hi for _k, _lo, hi in scalers)
        dep = self.get("Deployment", svc)
        return (dep or {}).get("spec", {}).get("replicas", 1)

    def pool_size(self, svc, prop):
        """A service's pool size: its environment in the manifests, else its application.properties, else Quarkus'."""
        dep = self.get("Deployment", svc)
        env = prop.upper().replace(".", "_").replace("-", "_")
        v = self.env_value(dep, env) if dep else None
        if v is None:
            v = service_properties(self.repo, svc).get(prop)
        return int(v) if v is not None else QUARKUS_POOL_DEFAULTS[prop]

    def check_pooler(self, cl):
        """PgBouncer (a CloudNativePG Pooler, transaction mode) between the services and PostgreSQL, and the
        connection budget on both of its sides."""
        cname = cl["metadata"]["name"]
        poolers = [p for p in self.of_kind("Pooler") if p["spec"]["cluster"]["name"] == cname and p["spec"].get("type", "rw") == "rw"]
        if not self.check(len(poolers) == 1, "one rw Pooler (PgBouncer) in front of PostgreSQL %s" % cname):
            return
        pl = poolers[0]
        pname, bouncer = pl["metadata"]["name"], pl["spec"].get("pgbouncer") or {}
        params = bouncer.get("parameters") or {}
        self.check(bouncer.get("poolMode") == "transaction", "the Pooler pools per transaction (poolMode transaction)")
        alt = ((cl["spec"].get("certificates") or {}).get("serverAltDNSNames")) or []
        self.check(pname in alt, "PostgreSQL's certificate names the Pooler's Service %s (the services verify it)" % pname)
        clients, dbs = 0, set()
        parts = []
        for svc, (_port, db, _raw, _auto) in SERVICES.items():
            if not db:
                continue
            dep = self.get("Deployment", svc)
            if not dep:
                continue
            for key in ("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL"):
                url = self.env_value(dep, key) or ""
                self.check(re.search(r"(//|^)%s:5432/%s(\?|$)" % (re.escape(pname), db), url),
                           "%s connects through the Pooler (%s = %s)" % (svc, key, url.split("?")[0]))
            per = self.pool_size(svc, "quarkus.datasource.reactive.max-size") + self.pool_size(svc, "quarkus.datasource.jdbc.max-size")
            n = self.max_replicas(svc)
            clients += per * n
            dbs.add(db)
            parts.append("%s %d x %d" % (svc, n, per))
        max_client = int(params.get("max_client_conn", 100))
        self.check(clients <= max_client, "PgBouncer takes every service connection at the replica maxima: %d (%s) <= "
                   "max_client_conn %d of one instance" % (clients, ", ".join(parts), max_client))
        instances = pl["spec"].get("instances", 1)
        pool = int(params.get("default_pool_size", 20)) + int(params.get("reserve_pool_size", 0))
        pg = cl["spec"].get("postgresql", {}).get("parameters") or {}
        max_conn = int(pg.get("max_connections", 100))
        reserved = int(pg.get("superuser_reserved_connections", 3))
        server = instances * len(dbs) * pool
        self.check(server + reserved + CNPG_OWN_CONNECTIONS <= max_conn,
                   "PostgreSQL connections: %d PgBouncer instances x %d databases x %d (default_pool_size + "
                   "reserve_pool_size) + %d reserved + %d for CloudNativePG = %d <= max_connections %d"
                   % (instances, len(dbs), pool, reserved, CNPG_OWN_CONNECTIONS, server + reserved + CNPG_OWN_CONNECTIONS, max_conn))

    def check_no_secret_on_argv(self):
        """No container gets a secret on its command line (visible in `ps` and the node's process list): no
        $(VAR) of a Secret-sourced variable in command/args, no password flags."""
        for d in self.workloads():
            pod = d["spec"]["template"]["spec"]
            for c in (pod.get("initContainers") or []) + pod["containers"]:
                secret_vars = {e["name"] for e in c.get("env") or [] if "secretKeyRef" in (e.get("valueFrom") or {})}
                from_secret = any("secretRef" in ef for ef in c.get("envFrom") or [])
                plain = {e["name"] for e in c.get("env") or [] if "secretKeyRef" not in (e.get("valueFrom") or {})}
                argv = [str(a) for a in (c.get("command") or []) + (c.get("args") or [])]
                refs = {m for a in argv for m in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", a)}
                bad = sorted(r for r in refs if r in secret_vars or (from_secret and r not in plain))
                flags = [a for a in argv if re.fullmatch(r"--?(requirepass|masterauth|a|pass|password|auth-pass)(=.*)?", a)]
                self.check(not bad and not flags, "%s/%s container %s has no secret on its command line%s" % (
                    d["kind"], d["metadata"]["name"], c["name"], (": " + ", ".join(["$(%s)" % b for b in bad] + flags)) if bad or flags else ""))

    def check_redis(self):
        """Redis with replicas and Sentinel, and its clients (runner, console) asking the Sentinels for the master."""
        st = self.get("StatefulSet", "bandwatch-redis")
        cm = self.get("ConfigMap", "bandwatch-redis")
        if not (st and cm):
            return
        containers = {c["name"]: c for c in st["spec"]["template"]["spec"]["containers"]}
        sentinel_ports = [p["containerPort"] for c in containers.values() for p in c.get("ports") or [] if p.get("name") == "sentinel"]
        self.check(sentinel_ports == [26379], "every Redis pod runs a Sentinel on 26379")
        n = st["spec"].get("replicas", 1)
        quorum = int((cm.get("data") or {}).get("SENTINEL_QUORUM", "0"))
        self.check((n == 1 and quorum == 1) or (n >= 3 and n // 2 < quorum <= n),
                   "Redis: %d pods, Sentinel quorum %d (one pod, or at least 3 with a majority quorum)" % (n, quorum))
        master = (cm.get("data") or {}).get("SENTINEL_MASTER_NAME")
        svc = self.get("Service", "bandwatch-redis-sentinel")
        self.check(svc and any(p["port"] == 26379 for p in svc["spec"]["ports"]), "Service bandwatch-redis-sentinel on 26379")
        for client in ("check-runner-service", CONSOLE):
            dep = self.get("Deployment", client)
            if not dep:
                continue
            got = {k: self.env_value(dep, k) for k in ("QUARKUS_REDIS_CLIENT_TYPE", "QUARKUS_REDIS_HOSTS", "QUARKUS_REDIS_MASTER_NAME", "QUARKUS_REDIS_ROLE")}
            self.check(got["QUARKUS_REDIS_CLIENT_TYPE"] == "sentinel" and got["QUARKUS_REDIS_HOSTS"] == "redis://bandwatch-redis-sentinel:26379"
                       and got["QUARKUS_REDIS_MASTER_NAME"] == master and got["QUARKUS_REDIS_ROLE"] == "master",
                       "%s finds the Redis master through the Sentinels (%s)" % (client, ", ".join("%s=%s" % kv for kv in sorted(got.items()))))
            c = dep["spec"]["template"]["spec"]["containers"][0]
            env = {e["name"]: e for e in c.get("env") or []}
            self.check("secretKeyRef" in ((env.get("QUARKUS_REDIS_PASSWORD") or {}).get("valueFrom") or {}),
                       "%s takes the Redis password from a Secret, in its environment" % client)

    def service_port_is_http(self, name, port):
        """Whether a backend (Service name, port name or number) is that Service's http port, never management."""
        svc = self.get("Service", name)
        if not svc:
            return False
        for p in svc["spec"].get("ports") or []:
            if port in (p.get("name"), p.get("port")):
                return p.get("name") == "http" and p.get("targetPort") in ("http", p.get("port")) and p.get("port") != MANAGEMENT_PORT
        return False

    def check_routes(self):
        """The Ingress / HTTPRoute: the console and every public API path at one host, each path to the service
        that serves it (read from the services' @Path annotations), internal and management never routed, TLS."""
        ings, routes, gws = self.of_kind("Ingress"), self.of_kind("HTTPRoute"), self.of_kind("Gateway")
        if not (ings or routes):
            return
        public = {svc: [t for _v, t in api_paths(self.repo, svc)] for svc in SERVICES}
        self.check(all(public.values()), "every service's @Path annotations are readable (%s)"
                   % ", ".join("%s %d" % (k, len(v)) for k, v in public.items()))
        console_paths = ["/", "/css/console.css", "/js/app.js", "/_static/echarts/5.6.0/dist/echarts.esm.min.js",
                         "/console/api/session", "/console/api/inventory/api/v1/devices"]
        for ing in ings:
            name = "Ingress " + ing["metadata"]["name"]
            host = (ing["spec"].get("rules") or [{}])[0].get("host")
            tls_hosts = {h for t in ing["spec"].get("tls") or [] if t.get("secretName") for h in t.get("hosts") or []}
            ann = ing["metadata"].get("annotations") or {}
            self.check(host and host in tls_hosts and any(k.startswith("cert-manager.io/") for k in ann),
                       "%s serves %s over TLS (cert-manager annotation, tls Secret)" % (name, host))
            backends = {(p["backend"]["service"]["name"], p["backend"]["service"]["port"].get("name") or p["backend"]["service"]["port"].get("number"))
                        for r in ing["spec"].get("rules") or [] for p in (r.get("http") or {}).get("paths") or []}
            bad = sorted("%s:%s" % b for b in backends if not self.service_port_is_http(*b))
            self.check(not bad, "%s sends only to Services' http ports, never a management port%s" % (name, (": " + ", ".join(bad)) if bad else ""))
            elsewhere = []
            for svc, templates in public.items():
                for t in templates:
                    got = route_ingress(ing, host, concrete(t))
                    if t.startswith("/api/v1/internal/"):
                        self.check(not got or got[0] != svc, "%s does not route %s (service accounts only)" % (name, t))
                    elif not got or got[0] != svc:
                        elsewhere.append((t, svc, got[0] if got else None))
            undocumented = [t for t, _s, _g in elsewhere if t not in self.readme]
            self.check(not undocumented, "%s: every API path it cannot route by Exact/Prefix is named in the README "
                       "(%d: %s)%s" % (name, len(elsewhere), ", ".join("%s -> %s" % (t, g) for t, _s, g in elsewhere),
                                       ("; not named: " + ", ".join(undocumented)) if undocumented else ""))
            self.check(all((route_ingress(ing, host, p) or ("",))[0] == CONSOLE for p in console_paths),
                       "%s sends the console's paths to the console" % name)
        for gw in gws:
            ls = gw["spec"].get("listeners") or []
            ann = gw["metadata"].get("annotations") or {}
            self.check(ls and all(l.get("protocol") == "HTTPS" and ((l.get("tls") or {}).get("certificateRefs")) for l in ls)
                       and any(k.startswith("cert-manager.io/") for k in ann),
                       "Gateway %s listens only with HTTPS (certificate from cert-manager or a tls Secret)" % gw["metadata"]["name"])
        if routes:
            host = (routes[0]["spec"].get("hostnames") or ["*"])[0]
            refs = {(b["name"], b.get("port")) for r in routes for rule in r["spec"].get("rules") or [] for b in rule.get("backendRefs") or []}
            bad = sorted("%s:%s" % b for b in refs if not self.service_port_is_http(*b))
            self.check(not bad, "HTTPRoute sends only to Services' http ports, never a management port%s" % ((": " + ", ".join(bad)) if bad else ""))
            wrong = []
            for svc, templates in public.items():
                for t in templates:
                    got, ambiguous = route_http(routes, host, concrete(t))
                    if t.startswith("/api/v1/internal/"):
                        if got and got[0][0] == svc:
                            wrong.append("%s -> %s (internal)" % (t, svc))
                    elif ambiguous or not got or got != ((svc, HTTP_PORTS[svc]),):
                        wrong.append("%s -> %s%s" % (t, got, " (ambiguous)" if ambiguous else ""))
            self.check(not wrong, "HTTPRoute sends each of the %d public API paths to the service that serves it, unambiguously%s"
                       % (sum(1 for v in public.values() for t in v if not t.startswith("/api/v1/internal/")),
                          (": " + "; ".join(wrong)) if wrong else ""))
            self.check(all(route_http(routes, host, p)[0] == ((CONSOLE, CONSOLE_PORT),) for p in console_paths),
                       "HTTPRoute sends the console's paths to the console")

    # -------------------------------------------------------------------------------- network policy
    def pods(self):
        """Pods of this namespace by role: the workloads' templates plus the operators' pods."""
        pods = {}
        for d in self.workloads():
            pods[d["metadata"]["name"]] = d["spec"]["template"]["metadata"].get("labels") or {}
        k = self.kafka()
        if k:
            c = k["metadata"]["name"]
            pods["kafka"] = {"strimzi.io/cluster": c, "strimzi.io/kind": "Kafka", "strimzi.io/name": c + "-kafka"}
            pods["entity-operator"] = {"strimzi.io/cluster": c, "strimzi.io/kind": "Kafka", "strimzi.io/name": c + "-entity-operator"}
        for cl in self.of_kind("Cluster"):
            pods["postgres"] = {"cnpg.io/cluster": cl["metadata"]["name"], "cnpg.io/podRole": "instance"}
        for pl in self.of_kind("Pooler"):
            # what CloudNativePG puts on PgBouncer's pods (the cluster label too, so policies must tell them apart)
            pods["pooler"] = dict((((pl["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}),
                                  **{"cnpg.io/poolerName": pl["metadata"]["name"], "cnpg.io/cluster": pl["spec"]["cluster"]["name"],
                                     "cnpg.io/podRole": "pooler"})
        return pods

    def policies_for(self, labels, kind):
        return [p for p in self.of_kind("NetworkPolicy")
                if kind in (p["spec"].get("policyTypes") or ["Ingress"]) and labels_match(p["spec"]["podSelector"], labels)]

    def peer_matches(self, peer, other):
        """other: ("pod", labels, namespace labels) or ("ip", address)."""
        if "ipBlock" in peer:
            # Conservative: an ipBlock may also match pod addresses on many CNIs (unless pods_by_ipblock is off).
            if other[0] == "ip":
                net, ip = ipaddress.ip_network(peer["ipBlock"]["cidr"]), ipaddress.ip_address(other[1])
                return ip.version == net.version and ip in net and not any(
                    ip in ipaddress.ip_network(e) for e in peer["ipBlock"].get("except") or [] if ipaddress.ip_network(e).version == ip.version)
            return getattr(self, "pods_by_ipblock", True)
        if other[0] != "pod":
            return False
        _, labels, ns_labels = other
        if "namespaceSelector" in peer:
            if not labels_match(peer["namespaceSelector"], ns_labels):
                return False
        elif ns_labels.get("kubernetes.io/metadata.name") != self.ns:
            return False
        return labels_match(peer.get("podSelector", {}), labels)

    def rule_allows(self, rule, direction, other, port, proto="TCP"):
        peers = rule.get("to" if direction == "Egress" else "from")
        if peers and not any(self.peer_matches(p, other) for p in peers):
            return False
        ports = rule.get("ports")
        if not ports:
            return True
        return any(p.get("protocol", "TCP") == proto and (p.get("port") is None or p.get("port") == port
                   or (isinstance(p.get("endPort"), int) and p["port"] <= port <= p["endPort"])) for p in ports)

    def allowed(self, direction, labels, other, port):
        pols = self.policies_for(labels, direction)
        if not pols:
            return True  # not isolated
        key = "egress" if direction == "Egress" else "ingress"
        return any(self.rule_allows(r, direction, other, port) for p in pols for r in p["spec"].get(key) or [])

    def ipblock_rules(self, workload):
        """Egress rules, of the policies that select a workload's pods, whose peers are ipBlocks."""
        labels = self.get("Deployment", workload)["spec"]["template"]["metadata"]["labels"]
        return [r for pol in self.policies_for(labels, "Egress") for r in pol["spec"].get("egress") or []
                if r.get("to") and all("ipBlock" in peer for peer in r["to"])]

    @staticmethod
    def tcp_ranges(rules):
        out = []
        for r in rules:
            for p in r.get("ports") or [{"port": 1, "endPort": 65535}]:
                if p.get("protocol", "TCP") == "TCP" and isinstance(p.get("port", 1), int):
                    out.append((p.get("port", 1), p.get("endPort", p.get("port", 65535) if "port" in p else 65535)))
        return merge_ranges(out)

    def check_egress_agreement(self):
        """The runner's way to the devices and alert's way to webhooks allow what the APIs accept, no less."""
        api = ssh_port_range(self.repo)
        if self.check(api, "inventory's DeviceRequest.sshPort bounds are readable"):
            rules = self.ipblock_rules("check-runner-service")
            got = self.tcp_ranges(rules)
            self.check(got == [api], "the runner reaches the devices on exactly the ssh_port values inventory accepts "
                       "(%d-%d; policy: %s)" % (api[0], api[1], ", ".join("%d-%d" % r for r in got) or "none"))
            cidrs = [peer["ipBlock"]["cidr"] for r in rules for peer in r["to"]]
            self.check(cidrs, "the devices' networks are set (%s)" % ", ".join(cidrs))
        ports, internal = webhook_rules(self.repo)
        if not self.check(ports and internal, "alert's WebhookTargets port bounds and INTERNAL networks are readable"):
            return
        rules = self.ipblock_rules("alert-service")
        got = self.tcp_ranges(rules)
        self.check(got == [ports], "alert reaches webhooks on exactly the ports the webhook API accepts (%d-%d; policy: %s)"
                   % (ports[0], ports[1], ", ".join("%d-%d" % r for r in got) or "none"))
        blocks = [peer["ipBlock"] for r in rules for peer in r["to"]]
        for family, everything in ((4, "0.0.0.0/0"), (6, "::/0")):
            want = {n for n in internal if ipaddress.ip_network(n).version == family}
            got_ex = [set(b.get("except") or []) for b in blocks if b["cidr"] == everything]
            self.check(got_ex and got_ex[0] == want, "alert's webhook egress to %s excepts exactly WebhookTargets.INTERNAL "
                       "(IPv%d)%s" % (everything, family, "" if got_ex and got_ex[0] == want else ": differs by "
                                      + ", ".join(sorted((want ^ (got_ex[0] if got_ex else set()))))))
        dep = self.get("Deployment", "alert-service")
        allowed = [c.strip() for c in (self.env_value(dep, "BANDWATCH_ALERT_WEBHOOK_ALLOWED_INTERNAL_CIDRS") or "").split(",") if c.strip()]
        missing = [c for c in allowed if c not in {b["cidr"] for b in blocks}]
        self.check(not missing, "every internal network allowed for webhooks (BANDWATCH_ALERT_WEBHOOK_ALLOWED_INTERNAL_CIDRS: %s) "
                   "has an ipBlock in alert's egress%s" % (", ".join(allowed) or "none", (": not " + ", ".join(missing)) if missing else ""))
        labels = dep["spec"]["template"]["metadata"]["labels"]
        for ip, port, ok in (("8.8.8.8", 443, True), ("8.8.8.8", 8443, True), ("2606:4700::1111", 1, True),
                             ("10.1.2.3", 443, False), ("169.254.169.254", 80, False), ("127.0.0.1", 8081, False),
                             ("fd00::1", 443, False), ("198.51.100.7", 443, False)):
            if ip in allowed:
                continue
            self.check(self.allowed("Egress", labels, ("ip", ip), port) == ok,
                       "alert-service %s deliver a webhook to %s port %d" % ("may" if ok else "may not", ip, port))

    def check_network(self):
        deny = [p for p in self.of_kind("NetworkPolicy") if p["spec"].get("podSelector") == {}
                and set(p["spec"].get("policyTypes") or []) == {"Ingress", "Egress"}
                and not p["spec"].get("ingress") and not p["spec"].get("egress")]
        self.check(deny, "a default-deny NetworkPolicy isolates every pod (ingress and egress)")
        pods = self.pods()
        ns_labels = {"kubernetes.io/metadata.name": self.ns}
        ports = sorted({8080, 8081, 8082, 8083, 8084, 9093, 9090, 9091, 5432, 8000, 6379, 26379, 8086, 22, 80, 443, MANAGEMENT_PORT})
        expected = set()
        for svc, (port, db, _raw, _hpa) in SERVICES.items():
            expected.add((svc, "kafka", 9093))
            if db:
                expected.add((svc, "pooler", 5432))
        expected |= {("check-runner-service", "bandwatch-redis", 6379), ("check-runner-service", "inventory-service", 8081),
                     ("metrics-service", "bandwatch-influxdb", 8086), (CONSOLE, "bandwatch-redis", 6379),
                     ("check-runner-service", "bandwatch-redis", 26379), (CONSOLE, "bandwatch-redis", 26379)}
        expected |= {(CONSOLE, svc, port) for svc, (port, _db, _raw, _hpa) in SERVICES.items()}
        internal = {("kafka", "kafka", 9090), ("kafka", "kafka", 9091), ("entity-operator", "kafka", 9091),
                    ("postgres", "postgres", 5432), ("postgres", "postgres", 8000), ("pooler", "postgres", 5432),
                    ("bandwatch-redis", "bandwatch-redis", 6379), ("bandwatch-redis", "bandwatch-redis", 26379)}
        missing = [n for n in list(SERVICES) + [CONSOLE, "kafka", "entity-operator", "postgres", "pooler", "bandwatch-redis", "bandwatch-influxdb"] if n not in pods]
        self.check(not missing, "network model knows every workload%s" % (": not " + ", ".join(missing) if missing else ""))
        actual = set()
        for src, sl in pods.items():
            for dst, dl in pods.items():
                for port in ports:
                    if self.allowed("Egress", sl, ("pod", dl, ns_labels), port) and \
                            self.allowed("Ingress", dl, ("pod", sl, ns_labels), port):
                        actual.add((src, dst, port))
        for f in sorted(expected | internal):
            self.check(f in actual, "NetworkPolicies allow %s -> %s:%d" % f)
        # Flows that exist only because an ipBlock (the devices' networks, webhooks) may also match pod addresses:
        # acceptable only towards the HTTP ports every source may reach anyway.
        self.pods_by_ipblock = False
        strict = {(src, dst, port) for src, sl in pods.items() for dst, dl in pods.items() for port in ports
                  if self.allowed("Egress", sl, ("pod", dl, ns_labels), port) and self.allowed("Ingress", dl, ("pod", sl, ns_labels), port)}
        self.pods_by_ipblock = True
        via_ipblock = sorted(f for f in actual - strict - expected - internal)
        bad_via = [f for f in via_ipblock if HTTP_PORTS.get(f[1]) != f[2]]
        self.check(not bad_via, "egress by ipBlock (devices, webhooks) adds no flow inside the namespace beyond the public "
                   "HTTP ports%s" % (": " + ", ".join("%s -> %s:%d" % f for f in bad_via) if bad_via else
                                     (" (%d such flows to HTTP ports)" % len(via_ipblock) if via_ipblock else "")))
        extra = sorted(actual - expected - internal - set(via_ipblock))
        self.check(not extra, "NetworkPolicies allow no other flow inside the namespace%s"
                   % (": " + ", ".join("%s -> %s:%d" % f for f in extra) if extra else ""))
        # Leaving the cluster (an address on the Internet) and coming in from elsewhere.
        outside_ip = "8.8.8.8"
        api = ssh_port_range(self.repo) or (22, 22)
        device_nets = [peer["ipBlock"]["cidr"] for r in self.ipblock_rules("check-runner-service") for peer in r["to"]] \
            if self.get("Deployment", "check-runner-service") else []
        runner_out = set(range(api[0], api[1] + 1)) if any(
            ipaddress.ip_address(outside_ip) in ipaddress.ip_network(n) for n in device_nets
            if ipaddress.ip_network(n).version == 4) else set()
        wh_ports, _internal = webhook_rules(self.repo)
        wh_ports = wh_ports or (443, 443)
        want_out = {"alert-service": set(range(wh_ports[0], wh_ports[1] + 1)),
                    "entity-operator": {443, 6443}, "postgres": {443, 6443}, "pooler": {443, 6443}}
        probe_ports = sorted({22, 25, 53, 80, 443, 3306, 5201, 5432, 6443, 8080, 9093})
        want_out["check-runner-service"] = runner_out
        for src, sl in pods.items():
            got = {p for p in probe_ports if self.allowed("Egress", sl, ("ip", outside_ip), p)}
            want = want_out.get(src, set()) & set(probe_ports)
            self.check(got == want, ("%s may leave the cluster (to %s) on %s only" % (src, outside_ip, sorted(want))) if want
                       else "%s may not leave the cluster (to %s)" % (src, outside_ip))
        stranger = ("pod", {"app": "stranger"}, {"kubernetes.io/metadata.name": "elsewhere"})
        prometheus = ("pod", {"app.kubernetes.io/name": "prometheus"}, {"kubernetes.io/metadata.name": MONITORING_NS})
        for dst, dl in pods.items():
            want = {HTTP_PORTS[dst]} if dst in HTTP_PORTS else set()
            got_pod = {p for p in ports if self.allowed("Ingress", dl, stranger, p)}
            got_ip = {p for p in ports if self.allowed("Ingress", dl, ("ip", outside_ip), p)}
            self.check(got_pod == want and got_ip == want,
                       ("%s is reachable from outside the namespace on %s only" % (dst, sorted(want))) if want else "%s is not reachable from outside the namespace" % dst)
            want_mon = want | ({MANAGEMENT_PORT} if dst in HTTP_PORTS else set())
            got_mon = {p for p in ports if self.allowed("Ingress", dl, prometheus, p)}
            self.check(got_mon == want_mon, "%s is reachable from the %s namespace on %s only"
                       % (dst, MONITORING_NS, sorted(want_mon)))
        dns = all(self.allowed("Egress", sl, ("pod", {"k8s-app": "kube-dns"}, {"kubernetes.io/metadata.name": "kube-system"}), 53)
                  for sl in pods.values())
        self.check(dns, "every pod may resolve names (kube-dns, port 53)")
        # Tracing: the services and the console reach the OTLP collector's namespace on 4317/4318, nothing else there;
        # no other workload does, and tracing is off unless a deployment turns it on.
        # (a pod address in an ipBlock of the devices' or webhooks' networks is the check above's concern)
        collector = ("pod", {"app.kubernetes.io/name": "opentelemetry-collector"}, {"kubernetes.io/metadata.name": OTLP_NS})
        self.pods_by_ipblock = False
        for src, sl in pods.items():
            got = {p for p in set(ports) | {4317, 4318} if self.allowed("Egress", sl, collector, p)}
            if src in SERVICES or src == CONSOLE:
                self.check(got == {4317, 4318}, "%s may export traces to the %s namespace on [4317, 4318] only (%s)"
                           % (src, OTLP_NS, sorted(got)))
            else:
                self.check(not got & {4317, 4318}, "%s may not export to the %s namespace" % (src, OTLP_NS))
        for svc in list(SERVICES) + [CONSOLE]:
            dep = self.get("Deployment", svc)
            if dep:
                self.check(self.env_value(dep, "QUARKUS_OTEL_SDK_DISABLED") == "true"
                           and self.env_value(dep, "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT"),
                           "%s: tracing off by default, with a collector endpoint to turn it on" % svc)


# --------------------------------------------------------------------------------------------- routes
HTTP_VERB = re.compile(r"@(GET|POST|PUT|DELETE|PATCH|HEAD)\b")


def join_path(a, b):
    return "/" + "/".join(x for x in (a.strip("/") + "/" + b.strip("/")).split("/") if x)


def api_paths(repo, svc):
    """[(verb, template)] of a service's JAX-RS resources (REST clients left out), read from the @Path annotations."""
    out = []
    root = os.path.join(repo, svc, "src", "main", "java")
    for d, _dirs, files in os.walk(root):
        for f in files:
            if not f.endswith(".java"):
                continue
            src = open(os.path.join(d, f), encoding="utf-8").read()
            if "@Path(" not in src or "RegisterRestClient" in src:
                continue
            decl = re.search(r"\b(class|interface|record)\s+\w+", src)
            if not decl:
                continue
            cls = re.findall(r'@Path\("([^"]*)"\)', src[:decl.start()])
            if not cls:
                continue
            body = src[decl.start():]
            for m in HTTP_VERB.finditer(body):
                start = max(body.rfind("}", 0, m.start()), body.rfind(";", 0, m.start()), 0)
                before = body[start:m.start()]
                after_lines = []
                for line in body[m.end():].splitlines()[1:]:
                    if not line.strip().startswith("@"):
                        break
                    after_lines.append(line)
                window = before + "\n".join(after_lines)
                mp = re.findall(r'@Path\("([^"]*)"\)', window)
                out.append((m.group(1), join_path(cls[-1], mp[-1] if mp else "")))
    return sorted(set(out))


def concrete(template):
    """A request path for a template: every {param} (or {param: regex}) becomes an id."""
    return re.sub(r"\{[^}]*\}", "6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5", template)


def prefix_match(prefix, path):
    p = prefix.rstrip("/")
    return p == "" or path == p or path.startswith(p + "/")


def route_ingress(ing, host, path):
    """The (service, port) an Ingress sends path to: Exact first, then the longest Prefix (element-wise)."""
    best = None
    for rule in ing["spec"].get("rules") or []:
        if rule.get("host") not in (None, host):
            continue
        for p in (rule.get("http") or {}).get("paths") or []:
            kind, value = p.get("pathType", "Prefix"), p.get("path", "/")
            b = p["backend"]["service"]
            target = (b["name"], b["port"].get("name") or b["port"].get("number"))
            if kind == "Exact" and value == path:
                return target
            if kind == "Prefix" and prefix_match(value, path) and (best is None or len(value.rstrip("/")) > best[0]):
                best = (len(value.rstrip("/")), target)
    return best[1] if best else None


def route_http(routes, host, path):
    """The backends an HTTPRoute sends path to, and whether that is ambiguous: Exact first (ranked first by the
    Gateway API), else the longest PathPrefix, else RegularExpression; a path that a PathPrefix and an expression,
    or two expressions with different backends, both match is ambiguous (implementations rank those differently)."""
    exact, prefixes, regexes = set(), [], set()
    for r in routes:
        if (r["spec"].get("hostnames") or [host]) and host not in (r["spec"].get("hostnames") or [host]):
            continue
        for rule in r["spec"].get("rules") or []:
            backends = tuple(sorted((b["name"], b.get("port")) for b in rule.get("backendRefs") or []))
            for m in rule.get("matches") or [{"path": {"type": "PathPrefix", "value": "/"}}]:
                pm = m.get("path") or {"type": "PathPrefix", "value": "/"}
                t, v = pm.get("type", "PathPrefix"), pm.get("value", "/")
                if t == "Exact" and v == path:
                    exact.add(backends)
                elif t == "PathPrefix" and prefix_match(v, path):
                    prefixes.append((len(v.rstrip("/")), backends))
                elif t == "RegularExpression" and re.fullmatch(v, path):
                    regexes.add(backends)
    if exact:
        return exact.pop() if len(exact) == 1 else None, len(exact) > 1
    if prefixes:
        top = max(n for n, _ in prefixes)
        chosen = {b for n, b in prefixes if n == top}
        return chosen.pop() if len(chosen) == 1 else None, bool(regexes) or len(chosen) > 1
    if regexes:
        return regexes.pop() if len(regexes) == 1 else None, len(regexes) > 1
    return None, False


# ---------------------------------------------------------------------------------------- self-test
class NotApplicable(Exception):
    """A self-test break that this overlay has nothing to apply to (e.g. no ScaledObject in dev)."""


def mutations(docs):
    """(description, mutate(docs)) pairs: each must make the checker fail."""
    def find(ds, kind, name):
        return next(d for d in ds if d["kind"] == kind and d["metadata"]["name"] == name)

    def container(ds, name):
        return find(ds, "Deployment", name)["spec"]["template"]["spec"]["containers"][0]

    def m_probe(ds):
        del container(ds, "metrics-service")["readinessProbe"]

    def m_limits(ds):
        del container(ds, "alert-service")["resources"]["limits"]

    def m_root(ds):
        container(ds, "inventory-service")["securityContext"]["readOnlyRootFilesystem"] = False

    def m_caps(ds):
        container(ds, "metrics-service")["securityContext"]["capabilities"]["add"] = ["NET_RAW"]

    def m_latest(ds):
        container(ds, "alert-service")["image"] = "bandwatch/alert-service:latest"

    def m_untagged(ds):
        container(ds, "inventory-service")["image"] = "bandwatch/inventory-service"

    def m_secret(ds):
        ds.append({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "leak", "namespace": find(ds, "Deployment", "alert-service")["metadata"]["namespace"],
                   "labels": {"app.kubernetes.io/name": "leak", "app.kubernetes.io/part-of": "bandwatch"}}, "stringData": {"password": "x"}})

    def m_topic(ds):
        ds.remove(find(ds, "KafkaTopic", "check.results.dlq"))

    def m_compact(ds):
        find(ds, "KafkaTopic", "devices.health")["spec"]["config"]["cleanup.policy"] = "delete"

    def m_acl(ds):
        find(ds, "KafkaUser", "metrics-service")["spec"]["authorization"]["acls"].append(
            {"resource": {"type": "topic", "name": "inventory.checks", "patternType": "literal"}, "operations": ["Read", "Describe"]})

    def m_pdb(ds):
        ds.remove(find(ds, "PodDisruptionBudget", "check-runner-service"))

    def m_hpa(ds):
        ds.remove(next(d for d in ds if d["kind"] in ("HorizontalPodAutoscaler", "ScaledObject")
                       and d["spec"]["scaleTargetRef"]["name"] == "metrics-service"))

    def m_two_scalers(ds):
        ns = find(ds, "Deployment", "alert-service")["metadata"]["namespace"]
        ds.append({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                   "metadata": {"name": "alert-service-2", "namespace": ns,
                                "labels": {"app.kubernetes.io/name": "alert-service", "app.kubernetes.io/part-of": "bandwatch"}},
                   "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "alert-service"},
                            "minReplicas": 1, "maxReplicas": 2}})

    def m_lag_group(ds):
        sos = [d for d in ds if d["kind"] == "ScaledObject" and d["metadata"]["name"] == "alert-service"]
        if not sos:
            raise NotApplicable()
        sos[0]["spec"]["triggers"][0]["metadata"]["consumerGroup"] = "alert"

    def m_max_partitions(ds):
        d = next(d for d in ds if d["kind"] in ("HorizontalPodAutoscaler", "ScaledObject")
                 and d["spec"]["scaleTargetRef"]["name"] == "check-runner-service")
        d["spec"]["maxReplicas" if d["kind"] == "HorizontalPodAutoscaler" else "maxReplicaCount"] = 7

    def m_unknown_metric(ds):
        sos = [d for d in ds if d["kind"] == "ScaledObject" and d["metadata"]["name"] == "check-runner-service"]
        if not sos:
            raise NotApplicable()
        md = sos[0]["spec"]["triggers"][0]["metadata"]
        md["query"] = md["query"].replace("bandwatch_schedule_due_checks", "bandwatch_due_backlog")

    def m_sa(ds):
        find(ds, "ServiceAccount", "alert-service")["automountServiceAccountToken"] = True
        del find(ds, "Deployment", "alert-service")["spec"]["template"]["spec"]["automountServiceAccountToken"]

    def m_netpol(ds):
        find(ds, "NetworkPolicy", "metrics-service")["spec"]["egress"].append(
            {"to": [{"podSelector": {"matchLabels": {"cnpg.io/cluster": "bandwatch-postgres"}}}], "ports": [{"protocol": "TCP", "port": 5432}]})
        find(ds, "NetworkPolicy", "bandwatch-postgres")["spec"]["ingress"].append({"from": [{"podSelector": {}}]})

    def m_deny(ds):
        ds.remove(find(ds, "NetworkPolicy", "default-deny-all"))

    def m_egress(ds):
        find(ds, "NetworkPolicy", "inventory-service")["spec"]["egress"].append({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]})

    def m_console_out(ds):
        find(ds, "NetworkPolicy", "console")["spec"]["egress"].append({"ports": [{"protocol": "TCP", "port": 443}]})

    def m_probe_port(ds):
        container(ds, "check-runner-service")["livenessProbe"]["httpGet"]["port"] = "http"

    def m_service_mgmt(ds):
        find(ds, "Service", "metrics-service")["spec"]["ports"].append({"name": "management", "port": 9000, "targetPort": "management"})

    def m_mgmt_port_unset(ds):
        # without it the service takes its application.properties' local port (9082): the probes on 9000 fail
        del find(ds, "ConfigMap", "check-runner-service")["data"]["QUARKUS_MANAGEMENT_PORT"]

    def m_mgmt_open(ds):
        find(ds, "NetworkPolicy", "allow-monitoring")["spec"]["ingress"][0]["from"] = [{"namespaceSelector": {}}]

    def m_pool_budget(ds):
        find(ds, "Pooler", "bandwatch-postgres-pooler-rw")["spec"]["instances"] = 4

    def m_direct_db(ds):
        cm = find(ds, "ConfigMap", "alert-service")["data"]
        cm["QUARKUS_DATASOURCE_REACTIVE_URL"] = cm["QUARKUS_DATASOURCE_REACTIVE_URL"].replace("pooler-rw", "rw")

    def m_ssh_22(ds):
        find(ds, "NetworkPolicy", "check-runner-service-devices")["spec"]["egress"][0]["ports"] = [{"protocol": "TCP", "port": 22}]

    def m_webhook_internal(ds):
        find(ds, "NetworkPolicy", "alert-service-webhooks")["spec"]["egress"][0]["to"][0]["ipBlock"]["except"].remove("10.0.0.0/8")

    def m_webhook_allowed(ds):
        find(ds, "ConfigMap", "alert-service")["data"]["BANDWATCH_ALERT_WEBHOOK_ALLOWED_INTERNAL_CIDRS"] = "10.20.0.0/16"

    def m_redis_argv(ds):
        c = find(ds, "StatefulSet", "bandwatch-redis")["spec"]["template"]["spec"]["containers"][0]
        c["command"] = c["command"] + ["--requirepass", "$(REDIS_PASSWORD)"]

    def m_redis_plain(ds):
        find(ds, "ConfigMap", "check-runner-service")["data"]["QUARKUS_REDIS_HOSTS"] = "redis://bandwatch-redis:6379"

    def m_ingress_mgmt(ds):
        ings = [d for d in ds if d["kind"] == "Ingress"]
        if not ings:
            raise NotApplicable()
        ings[0]["spec"]["rules"][0]["http"]["paths"].append({"path": "/q", "pathType": "Prefix", "backend": {
            "service": {"name": "inventory-service", "port": {"number": 9000}}}})

    def m_ingress_internal(ds):
        ings = [d for d in ds if d["kind"] == "Ingress"]
        if not ings:
            raise NotApplicable()
        ings[0]["spec"]["rules"][0]["http"]["paths"].append({"path": "/api/v1/internal", "pathType": "Prefix", "backend": {
            "service": {"name": "inventory-service", "port": {"name": "http"}}}})

    def m_route_clash(ds):
        routes = [d for d in ds if d["kind"] == "HTTPRoute"]
        if not routes:
            raise NotApplicable()
        for rule in routes[0]["spec"]["rules"]:
            for m in rule["matches"]:
                if m["path"]["value"] == "/api/v1/devices":
                    m["path"]["type"] = "PathPrefix"

    def m_route_mgmt(ds):
        routes = [d for d in ds if d["kind"] == "HTTPRoute"]
        if not routes:
            raise NotApplicable()
        routes[0]["spec"]["rules"][0]["backendRefs"][0]["port"] = 9000

    def m_console_url(ds):
        find(ds, "ConfigMap", "console")["data"]["BANDWATCH_CONSOLE_SERVICES_METRICS"] = "http://metrics:8083"

    def m_kafka_version(ds):
        find(ds, "Kafka", "bandwatch")["spec"]["kafka"]["version"] = "3.9.0"

    return [("a Strimzi Kafka version other than the local one", m_kafka_version),
            ("a missing readiness probe", m_probe), ("missing resource limits", m_limits),
            ("a writable root filesystem", m_root), ("NET_RAW outside the runner", m_caps),
            ("an image tagged latest", m_latest), ("an untagged image", m_untagged),
            ("a Secret with data", m_secret), ("a topic without KafkaTopic", m_topic),
            ("a compacted topic made delete", m_compact), ("an ACL on a topic the service does not consume", m_acl),
            ("a missing PodDisruptionBudget", m_pdb), ("a missing autoscaler", m_hpa),
            ("two autoscalers for one Deployment", m_two_scalers),
            ("a KEDA trigger on a consumer group the service does not use", m_lag_group), ("a runner maximum above the 6 partitions of check.requests", m_max_partitions),
            ("a KEDA query on a metric the runner does not export", m_unknown_metric),
            ("a mounted service account token", m_sa), ("metrics-service allowed to PostgreSQL", m_netpol),
            ("no default deny", m_deny), ("unrestricted egress from inventory", m_egress),
            ("the console allowed out of the cluster", m_console_out),
            ("a liveness probe on the http port", m_probe_port), ("a Service exposing the management port", m_service_mgmt),
            ("the runner's management port left to its application.properties", m_mgmt_port_unset),
            ("the management port open to every namespace", m_mgmt_open),
            ("PgBouncer server pools beyond max_connections", m_pool_budget),
            ("device SSH on port 22 only while the API accepts any port", m_ssh_22),
            ("the Redis password on the command line", m_redis_argv),
            ("the Ingress routing /q to a management port", m_ingress_mgmt), ("the Ingress routing /api/v1/internal", m_ingress_internal),
            ("an HTTPRoute prefix that swallows metrics' charts", m_route_clash), ("an HTTPRoute to the management port", m_route_mgmt), ("the runner connecting to Redis without Sentinel", m_redis_plain),
            ("webhooks allowed into 10.0.0.0/8", m_webhook_internal),
            ("an allowed internal webhook network without its ipBlock", m_webhook_allowed), ("a service bypassing the Pooler", m_direct_db), ("the console calling a service by a wrong URL", m_console_url)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--passed", type=int, default=0)
    ap.add_argument("--failed", type=int, default=0)
    ap.add_argument("rendered", nargs="+", help="NAME=FILE")
    args = ap.parse_args()
    k8s = os.path.join(args.repo, "deploy", "k8s")
    passed, failed = args.passed, args.failed

    def report(ok, msg):
        nonlocal passed, failed
        print(("ok - " if ok else "not ok - ") + msg)
        if ok:
            passed += 1
        else:
            failed += 1

    topics_java = os.path.join(args.repo, "events", "src", "main", "java", "io", "bandwatch", "events", "Topics.java")
    try:
        topics = parse_topics(topics_java)
        report(True, "Topics.java lists %d topics (%s)" % (len(topics), ", ".join(sorted(topics))))
    except (OSError, ValueError) as e:
        report(False, "read the topics of %s: %s" % (topics_java, e))
        topics = {}
    try:
        readme = open(os.path.join(k8s, "README.md"), encoding="utf-8").read()
    except OSError:
        readme = ""
    report("## Deploy on Kubernetes" in readme, "deploy/k8s/README.md has a 'Deploy on Kubernetes' section")

    for item in args.rendered:
        name, path = item.split("=", 1)
        kdir = os.path.join(k8s, "overlays", name)
        if not os.path.isdir(kdir):
            kdir = os.path.join(k8s, "test", "variants", name)
        kust = yaml.safe_load(open(os.path.join(kdir, "kustomization.yaml")))
        ns = kust.get("namespace")
        docs = [d for d in yaml.safe_load_all(open(path)) if d]
        results = Checker(name, docs, ns, topics, readme, args.repo).run()
        for ok, msg in results:
            report(ok, msg)
        # The checker must fail for real: break a copy in each way and expect a new failure.
        before = {m for ok, m in results if not ok}
        if True:
            for what, mutate in mutations(docs):
                broken = copy.deepcopy(docs)
                try:
                    mutate(broken)
                except NotApplicable:
                    continue
                except (StopIteration, KeyError) as e:
                    report(False, "%s: self-test could not apply '%s' (%s)" % (name, what, e))
                    continue
                caught = [m for ok, m in Checker(name, broken, ns, topics, readme, args.repo).run() if not ok and m not in before]
                report(caught, "%s: self-test: %s is caught%s" % (name, what, (" (" + caught[0].split(": ", 1)[1] + ")") if caught else ""))

    # Optional monitoring: a PodMonitor on the management port of the four services and the console.
    try:
        pm = yaml.safe_load(open(os.path.join(k8s, "optional", "monitoring", "podmonitor.yaml")))
        vals = set()
        for e in pm["spec"]["selector"].get("matchExpressions") or []:
            vals |= set(e.get("values") or [])
        eps = pm["spec"]["podMetricsEndpoints"]
        report(pm["kind"] == "PodMonitor" and vals == set(HTTP_PORTS) and eps
               and all(e.get("port") == "management" and e.get("path") == "/q/metrics" for e in eps),
               "optional/monitoring scrapes /q/metrics on the management port of the four services and the console")
    except (OSError, KeyError, TypeError, yaml.YAMLError) as e:
        report(False, "optional/monitoring/podmonitor.yaml: %s" % e)

    # Optional, CNI-specific ICMP policies: for the runner only.
    for f in ("cilium.yaml", "calico.yaml"):
        p = os.path.join(k8s, "optional", "icmp", f)
        try:
            d = yaml.safe_load(open(p))
            sel = d["spec"].get("endpointSelector") or d["spec"].get("selector")
            text = yaml.safe_dump(sel)
            report("check-runner-service" in text and "ICMP" in yaml.safe_dump(d).upper(),
                   "optional/icmp/%s allows ICMP for the runner only" % f)
        except (OSError, KeyError, TypeError, yaml.YAMLError) as e:
            report(False, "optional/icmp/%s: %s" % (f, e))

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
