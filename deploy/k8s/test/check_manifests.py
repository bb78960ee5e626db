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
    # name: (HTTP port, database or None, needs NET_RAW, has HPA)
    "inventory-service": (8081, "inventory", False, False),
    "check-runner-service": (8082, "runner", True, True),
    "metrics-service": (8083, None, False, True),
    "alert-service": (8084, "alert", False, False),
}
# The console: the web UI at one origin; no Kafka, no database, no key: Redis for sessions and the four
# services' HTTP APIs with each user's token.
CONSOLE = "console"
CONSOLE_PORT = 8080
HTTP_PORTS = dict({svc: spec[0] for svc, spec in SERVICES.items()}, **{CONSOLE: CONSOLE_PORT})
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
        for step in (self.check_objects, self.check_workloads, self.check_services, self.check_console, self.check_secrets,
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
                        self.check(port in ports.values(), "%s listens on %d" % (cname, port))
                        for probe, path in ((lp, "/q/health/live"), (rp, "/q/health/ready"), (c.get("startupProbe"), "/q/health/started")):
                            hg = (probe or {}).get("httpGet") or {}
                            pport = ports.get(hg.get("port"), hg.get("port"))
                            self.check(hg.get("path") == path and pport == port,
                                       "%s probes %s on port %d" % (cname, path, port))
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
            hpas = [h for h in self.of_kind("HorizontalPodAutoscaler")
                    if h["spec"]["scaleTargetRef"].get("kind") == "Deployment" and h["spec"]["scaleTargetRef"].get("name") == svc]
            if hpa:
                ok = len(hpas) == 1 and 1 <= hpas[0]["spec"].get("minReplicas", 1) <= hpas[0]["spec"]["maxReplicas"]
                self.check(ok and "replicas" not in dep["spec"],
                           "%s has a HorizontalPodAutoscaler (and its Deployment leaves replicas to it)" % svc)
            else:
                self.check(not hpas, "%s has no HorizontalPodAutoscaler" % svc)
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
            self.check((cl["spec"].get("storage") or {}).get("size"), "PostgreSQL has persistent storage")
        for name in ("bandwatch-redis", "bandwatch-influxdb"):
            s = self.get("StatefulSet", name)
            if self.check(s, "%s is a StatefulSet" % name):
                vct = [v["metadata"]["name"] for v in s["spec"].get("volumeClaimTemplates") or []]
                mounts = {m["name"] for c in s["spec"]["template"]["spec"]["containers"] for m in c.get("volumeMounts") or []}
                self.check(vct and set(vct) <= mounts, "%s keeps its data on a persistent volume" % name)
                self.check(self.get("Service", name), "%s has a Service" % name)

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
        return pods

    def policies_for(self, labels, kind):
        return [p for p in self.of_kind("NetworkPolicy")
                if kind in (p["spec"].get("policyTypes") or ["Ingress"]) and labels_match(p["spec"]["podSelector"], labels)]

    def peer_matches(self, peer, other):
        """other: ("pod", labels, namespace labels) or ("ip", address)."""
        if "ipBlock" in peer:
            # Conservative: an ipBlock may also match pod addresses on many CNIs.
            if other[0] == "ip":
                net, ip = ipaddress.ip_network(peer["ipBlock"]["cidr"]), ipaddress.ip_address(other[1])
                return ip.version == net.version and ip in net and not any(
                    ip in ipaddress.ip_network(e) for e in peer["ipBlock"].get("except") or [] if ipaddress.ip_network(e).version == ip.version)
            return True
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

    def check_network(self):
        deny = [p for p in self.of_kind("NetworkPolicy") if p["spec"].get("podSelector") == {}
                and set(p["spec"].get("policyTypes") or []) == {"Ingress", "Egress"}
                and not p["spec"].get("ingress") and not p["spec"].get("egress")]
        self.check(deny, "a default-deny NetworkPolicy isolates every pod (ingress and egress)")
        pods = self.pods()
        ns_labels = {"kubernetes.io/metadata.name": self.ns}
        ports = sorted({8080, 8081, 8082, 8083, 8084, 9093, 9090, 9091, 5432, 8000, 6379, 8086, 22, 80, 443})
        expected = set()
        for svc, (port, db, _raw, _hpa) in SERVICES.items():
            expected.add((svc, "kafka", 9093))
            if db:
                expected.add((svc, "postgres", 5432))
        expected |= {("check-runner-service", "bandwatch-redis", 6379), ("check-runner-service", "inventory-service", 8081),
                     ("metrics-service", "bandwatch-influxdb", 8086), (CONSOLE, "bandwatch-redis", 6379)}
        expected |= {(CONSOLE, svc, port) for svc, (port, _db, _raw, _hpa) in SERVICES.items()}
        internal = {("kafka", "kafka", 9090), ("kafka", "kafka", 9091), ("entity-operator", "kafka", 9091),
                    ("postgres", "postgres", 5432), ("postgres", "postgres", 8000)}
        missing = [n for n in list(SERVICES) + [CONSOLE, "kafka", "entity-operator", "postgres", "bandwatch-redis", "bandwatch-influxdb"] if n not in pods]
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
        extra = sorted(actual - expected - internal)
        self.check(not extra, "NetworkPolicies allow no other flow inside the namespace%s"
                   % (": " + ", ".join("%s -> %s:%d" % f for f in extra) if extra else ""))
        # Leaving the cluster (an address on the Internet) and coming in from elsewhere.
        outside_ip = "203.0.113.10"
        want_out = {"check-runner-service": {22, 5201}, "alert-service": {80, 443},
                    "entity-operator": {443, 6443}, "postgres": {443, 6443}}
        probe_ports = sorted({22, 25, 53, 80, 443, 3306, 5201, 5432, 6443, 8080, 9093})
        for src, sl in pods.items():
            got = {p for p in probe_ports if self.allowed("Egress", sl, ("ip", outside_ip), p)}
            want = want_out.get(src, set())
            self.check(got == want, ("%s may leave the cluster on %s only" % (src, sorted(want))) if want else "%s may not leave the cluster" % src)
        stranger = ("pod", {"app": "stranger"}, {"kubernetes.io/metadata.name": "elsewhere"})
        for dst, dl in pods.items():
            want = {HTTP_PORTS[dst]} if dst in HTTP_PORTS else set()
            got_pod = {p for p in ports if self.allowed("Ingress", dl, stranger, p)}
            got_ip = {p for p in ports if self.allowed("Ingress", dl, ("ip", outside_ip), p)}
            self.check(got_pod == want and got_ip == want,
                       ("%s is reachable from outside the namespace on %s only" % (dst, sorted(want))) if want else "%s is not reachable from outside the namespace" % dst)
        dns = all(self.allowed("Egress", sl, ("pod", {"k8s-app": "kube-dns"}, {"kubernetes.io/metadata.name": "kube-system"}), 53)
                  for sl in pods.values())
        self.check(dns, "every pod may resolve names (kube-dns, port 53)")


# ---------------------------------------------------------------------------------------- self-test
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
        ds.remove(find(ds, "HorizontalPodAutoscaler", "metrics-service"))

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

    def m_console_url(ds):
        find(ds, "ConfigMap", "console")["data"]["BANDWATCH_CONSOLE_SERVICES_METRICS"] = "http://metrics:8083"

    return [("a missing readiness probe", m_probe), ("missing resource limits", m_limits),
            ("a writable root filesystem", m_root), ("NET_RAW outside the runner", m_caps),
            ("an image tagged latest", m_latest), ("an untagged image", m_untagged),
            ("a Secret with data", m_secret), ("a topic without KafkaTopic", m_topic),
            ("a compacted topic made delete", m_compact), ("an ACL on a topic the service does not consume", m_acl),
            ("a missing PodDisruptionBudget", m_pdb), ("a missing HPA", m_hpa),
            ("a mounted service account token", m_sa), ("metrics-service allowed to PostgreSQL", m_netpol),
            ("no default deny", m_deny), ("unrestricted egress from inventory", m_egress),
            ("the console allowed out of the cluster", m_console_out), ("the console calling a service by a wrong URL", m_console_url)]


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
        kust = yaml.safe_load(open(os.path.join(k8s, "overlays", name, "kustomization.yaml")))
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
                except (StopIteration, KeyError) as e:
                    report(False, "%s: self-test could not apply '%s' (%s)" % (name, what, e))
                    continue
                caught = [m for ok, m in Checker(name, broken, ns, topics, readme, args.repo).run() if not ok and m not in before]
                report(caught, "%s: self-test: %s is caught%s" % (name, what, (" (" + caught[0].split(": ", 1)[1] + ")") if caught else ""))

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
