#!/usr/bin/env python3
"""Checks kustomize renderings of deploy/k8s for what a schema cannot see (no cluster needed).

    check_k8s_policies.py [--development BASE.yaml]... RENDERED.yaml...

Each file is the output of `kubectl kustomize` (deploy/local/k8s-test.sh writes them). Every file is
checked for:

a. Kafka: every Deployment and Job running a LAYAR service image sets KAFKA_SECURITY_PROTOCOL=sasl_ssl,
   KAFKA_BROKERS, KAFKA_SASL_USERNAME=layar-<service> (a SCRAM-SHA-512 KafkaUser of the rendering),
   and reads KAFKA_SASL_PASSWORD_FILE and KAFKA_SSL_CA_FILE from read-only mounts of that user's own
   Strimzi Secret (key `password`) and of `<cluster>-cluster-ca-cert` (key `ca.crt`); no workload
   (the portal included) refers to another Kafka user's Secret;
b. a default-deny NetworkPolicy (empty pod selector, Ingress and Egress, no rule) in each namespace
   of LAYAR's workloads;
c. a service pod's ingress comes only from the portal's pods, on the service's gRPC port, and from
   the namespace `monitoring`, on its metrics port (Jobs: the same or none);
d. the portal's egress goes only to the gRPC ports of LAYAR services, DNS (kube-system, port 53),
   and PostgreSQL (port 5432, to pods that are not LAYAR's: the portal keeps its sessions there);
   the services' egress only to DNS, PostgreSQL, the Kafka brokers (port 9093) and, for
   notification and survey, HTTPS (443) outside the private address ranges;
   and what must work does: portal -> each service it calls, services -> Kafka and PostgreSQL,
   notification and survey -> a public HTTPS address, monitoring -> metrics, every pod -> DNS;
e. a KafkaTopic for every `topic` line of deploy/kafka/layar-kafka.txt and a KafkaUser for every `user`
   line, with exactly the table's ACLs, on the Strimzi cluster KAFKA_BROKERS names; nothing beyond;
f. (not for --development renderings) the notification service uses no `log` provider: each channel
   has a real provider with its URL (Twilio: account and sender too); survey forwards to LAPOR!
   (LAYAR_LAPOR_URL set); tokens come from Secrets, never literal values.

Prints each problem and exits non-zero on any.
"""
import argparse
import ipaddress
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
TABLE = ROOT / "deploy/kafka/layar-kafka.txt"
SERVICES = ["intake", "verification", "assignment", "notification", "survey"]
PUBLIC_HTTPS = {"notification", "survey"}
# The one call between services (beside the portal's): notification asks intake's public
# GetStatus for the status an applicant's CEK text asks.
SERVICE_CALLS = {("notification", "intake")}
# Ports the internet reaches through the operations' Ingress beside the portal's (by port name):
# notification's signed provider webhooks.
PUBLIC_PORTS = {"notification": "webhooks"}
DNS_PORT, POSTGRES_PORT, KAFKA_PORT, HTTPS_PORT = 53, 5432, 9093, 443
MONITORING = "monitoring"
PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")]
# Addresses no policy may open to a service beyond its own peers: the cluster's private ranges stand
# for every pod, Service and node; a public address stands for the providers and LAPOR!.
SAMPLE_PUBLIC = ipaddress.ip_address("52.94.0.10")
SAMPLE_PRIVATE = [ipaddress.ip_address(a) for a in ("10.96.0.1", "172.20.0.5", "192.168.1.10")]

problems = []


def problem(where, text):
    problems.append(f"{where}: {text}")


# --- Selectors and peers ---------------------------------------------------------------------

def selects(selector, labels):
    """Whether a label selector (matchLabels, matchExpressions) selects `labels`; {} selects all."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values") or []
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and key in labels and labels[key] in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def empty_selector(selector):
    return selector is not None and not selector.get("matchLabels") and not selector.get("matchExpressions")


class Endpoint:
    """A pod (namespace, its labels, the pod's labels, container ports) or an IP address."""

    def __init__(self, namespace=None, namespace_labels=None, labels=None, ports=None, ip=None, name=""):
        self.namespace, self.labels, self.ip, self.name = namespace, labels or {}, ip, name
        self.namespace_labels = {"kubernetes.io/metadata.name": namespace, **(namespace_labels or {})} if namespace else {}
        self.ports = ports or {}  # container port name -> number


def peer_matches(peer, policy_namespace, endpoint):
    if "ipBlock" in peer:
        if endpoint.ip is None:
            return False  # pods are reached by their IPs too, but we only reason about named peers here
        block = peer["ipBlock"]
        network = ipaddress.ip_network(block["cidr"], strict=False)
        if endpoint.ip.version != network.version or endpoint.ip not in network:
            return False
        return not any(endpoint.ip in ipaddress.ip_network(e, strict=False) for e in block.get("except") or []
                       if ipaddress.ip_network(e, strict=False).version == endpoint.ip.version)
    if endpoint.ip is not None:
        return False
    if "namespaceSelector" in peer:
        if not selects(peer["namespaceSelector"], endpoint.namespace_labels):
            return False
    elif endpoint.namespace != policy_namespace:
        return False
    return selects(peer.get("podSelector", {}), endpoint.labels)


def port_matches(entry, port, protocol, target):
    if (entry.get("protocol") or "TCP") != protocol:
        return False
    if "port" not in entry:
        return True
    number = entry["port"]
    if isinstance(number, str):
        number = target.ports.get(number)
        return number == port
    return number <= port <= entry.get("endPort", number)


def rule_allows(rule, peers_key, policy_namespace, peer_endpoint, port, protocol, target):
    peers = rule.get(peers_key)
    if peers and not any(peer_matches(p, policy_namespace, peer_endpoint) for p in peers):
        return False
    ports = rule.get("ports")
    return not ports or any(port_matches(p, port, protocol, target) for p in ports)


def policy_types(policy):
    spec = policy["spec"]
    if spec.get("policyTypes"):
        return set(spec["policyTypes"])
    return {"Ingress"} | ({"Egress"} if "egress" in spec else set())


# --- A rendering -----------------------------------------------------------------------------

class Rendering:
    def __init__(self, path):
        self.path = path
        self.docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
        self.namespaces = {d["metadata"]["name"]: d["metadata"].get("labels") or {} for d in self.docs if d["kind"] == "Namespace"}
        self.config_maps = {(self.ns(d), d["metadata"]["name"]): d.get("data") or {} for d in self.docs if d["kind"] == "ConfigMap"}
        self.policies = [d for d in self.docs if d["kind"] == "NetworkPolicy"]
        self.services = [d for d in self.docs if d["kind"] == "Service"]
        self.workloads = []  # (kind, name, namespace, product, pod spec, pod labels)
        for doc in self.docs:
            if doc["kind"] not in ("Deployment", "Job", "StatefulSet", "DaemonSet", "CronJob"):
                continue
            template = doc["spec"]["jobTemplate"]["spec"]["template"] if doc["kind"] == "CronJob" else doc["spec"]["template"]
            product = None
            for container in template["spec"].get("containers", []):
                found = re.search(r"(?:^|/)layar/([a-z]+)(?:[:@]|$)", container["image"])
                if found:
                    product = found.group(1)
            self.workloads.append((doc["kind"], doc["metadata"]["name"], self.ns(doc), product, template["spec"],
                                   (template.get("metadata") or {}).get("labels") or {}))

    @staticmethod
    def ns(doc):
        return doc["metadata"].get("namespace", "default")

    def where(self, *parts):
        return " ".join([self.path.name, *parts])

    def endpoint(self, workload):
        kind, name, namespace, _, spec, labels = workload
        ports = {p["name"]: p["containerPort"] for c in spec.get("containers", []) for p in c.get("ports", []) if "name" in p}
        return Endpoint(namespace, self.namespaces.get(namespace), labels, ports, name=f"{kind} {name}")

    def policies_for(self, endpoint, direction):
        return [p for p in self.policies if self.ns(p) == endpoint.namespace
                and direction in policy_types(p) and selects(p["spec"].get("podSelector", {}), endpoint.labels)]

    def allows(self, source, target, port, protocol="TCP"):
        """Whether the policies let `source` open a connection to `target` on `port`."""
        if source.ip is None:
            egress = self.policies_for(source, "Egress")
            if egress and not any(rule_allows(r, "to", self.ns(p), target, port, protocol, target)
                                  for p in egress for r in p["spec"].get("egress") or []):
                return False
        if target.ip is None:
            ingress = self.policies_for(target, "Ingress")
            if ingress and not any(rule_allows(r, "from", self.ns(p), source, port, protocol, target)
                                   for p in ingress for r in p["spec"].get("ingress") or []):
                return False
        return True

    def env(self, workload, container):
        """name -> ("value", text) | ("secret", (name, key)) | ("missing-config", ref)."""
        namespace = workload[2]
        values = {}
        for entry in container.get("env") or []:
            source = entry.get("valueFrom") or {}
            if "value" in entry:
                values[entry["name"]] = ("value", str(entry["value"]))
            elif "configMapKeyRef" in source:
                ref = source["configMapKeyRef"]
                data = self.config_maps.get((namespace, ref["name"]), {})
                values[entry["name"]] = ("value", str(data[ref["key"]])) if ref["key"] in data else ("missing-config", ref)
            elif "secretKeyRef" in source:
                ref = source["secretKeyRef"]
                values[entry["name"]] = ("secret", (ref["name"], ref["key"]))
            else:
                values[entry["name"]] = ("other", source)
        return values


def secret_file(spec, container, path):
    """The (Secret name, key, read-only) a file path of a container comes from, or None."""
    best = None
    for mount in container.get("volumeMounts") or []:
        root = mount["mountPath"].rstrip("/") + "/"
        if path.startswith(root) and (best is None or len(root) > len(best[0])):
            best = (root, mount)
    if not best:
        return None
    root, mount = best
    relative = path[len(root):]
    if mount.get("subPath"):
        return None
    volume = next((v for v in spec.get("volumes") or [] if v["name"] == mount["name"]), None)
    if not volume or "secret" not in volume:
        return None
    secret = volume["secret"]
    items = secret.get("items")
    if items:
        key = next((i["key"] for i in items if i["path"] == relative), None)
    else:
        key = relative
    return (secret["secretName"], key, bool(mount.get("readOnly")))


def referenced_secrets(spec):
    names = set()
    for volume in spec.get("volumes") or []:
        if "secret" in volume:
            names.add(volume["secret"]["secretName"])
        for source in (volume.get("projected") or {}).get("sources") or []:
            if "secret" in source:
                names.add(source["secret"]["name"])
    for container in spec.get("containers", []) + spec.get("initContainers", []):
        for entry in container.get("env") or []:
            ref = (entry.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                names.add(ref["name"])
        for source in container.get("envFrom") or []:
            if "secretRef" in source:
                names.add(source["secretRef"]["name"])
    return names


# --- The topic table -------------------------------------------------------------------------

def read_table():
    topics, users, acls = [], [], {}
    for line in TABLE.read_text().splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if fields[0] == "topic":
            topics.append(fields[1])
        elif fields[0] == "user":
            users.append(fields[1])
            acls.setdefault(fields[1], set())
        elif fields[0] == "acl":
            principal, resource, pattern, name, operations = fields[1:6]
            pattern = {"prefixed": "prefix"}.get(pattern, pattern)
            acls.setdefault(principal, set()).add((resource, pattern, name, frozenset(operations.split(","))))
    return topics, users, acls


# --- The checks ------------------------------------------------------------------------------

def check(rendering, development):
    r = rendering
    topics, users, table_acls = read_table()
    kafka_users = {d["metadata"]["name"]: d for d in r.docs if d["kind"] == "KafkaUser"}
    kafka_topics = {(d.get("spec") or {}).get("topicName") or d["metadata"]["name"]: d for d in r.docs if d["kind"] == "KafkaTopic"}
    service_workloads = [w for w in r.workloads if w[3] in SERVICES]
    portal_workloads = [w for w in r.workloads if w[3] == "portal"]
    if not service_workloads or not portal_workloads:
        problem(r.where(), "no LAYAR service or portal workloads: not a rendering of deploy/k8s?")
        return
    for product in SERVICES:
        kinds = {w[0] for w in service_workloads if w[3] == product}
        if kinds != {"Deployment", "Job"}:
            problem(r.where(), f"expected a Deployment and a migration Job running layar/{product}, found {sorted(kinds)}")

    # (e) Strimzi resources, from the table; the cluster is the one KAFKA_BROKERS names.
    clusters = set()
    for workload in service_workloads:
        for container in workload[4]["containers"]:
            kind, brokers = r.env(workload, container).get("KAFKA_BROKERS", (None, ""))
            found = re.match(r"([a-z0-9-]+)-kafka-bootstrap(?:\.[a-z0-9.-]+)?:(\d+)$", brokers.split(",")[0]) if kind == "value" else None
            if found:
                clusters.add(found.group(1))
                if int(found.group(2)) != KAFKA_PORT:
                    problem(r.where(workload[0], workload[1]), f"KAFKA_BROKERS={brokers}: the TLS SCRAM listener is on {KAFKA_PORT}")
            else:
                problem(r.where(workload[0], workload[1]), f"KAFKA_BROKERS={brokers!r} is not a Strimzi bootstrap (<cluster>-kafka-bootstrap:<port>)")
    cluster = sorted(clusters)[0] if len(clusters) == 1 else None
    if len(clusters) > 1:
        problem(r.where(), f"the services name several Kafka clusters: {sorted(clusters)}")
    for topic in topics:
        if topic not in kafka_topics:
            problem(r.where(), f"no KafkaTopic {topic} (deploy/kafka/layar-kafka.txt)")
    for topic in sorted(set(kafka_topics) - set(topics)):
        problem(r.where(), f"KafkaTopic {topic} is not in deploy/kafka/layar-kafka.txt")
    for user in users:
        resource = kafka_users.get(user)
        if not resource:
            problem(r.where(), f"no KafkaUser {user} (deploy/kafka/layar-kafka.txt)")
            continue
        spec = resource.get("spec") or {}
        if (spec.get("authentication") or {}).get("type") != "scram-sha-512":
            problem(r.where("KafkaUser", user), "authentication must be scram-sha-512")
        authorization = spec.get("authorization") or {}
        if authorization.get("type") != "simple":
            problem(r.where("KafkaUser", user), "authorization must be simple (ACLs)")
        acls = set()
        for acl in authorization.get("acls") or []:
            res = acl["resource"]
            acls.add((res["type"], res.get("patternType", "literal"), res["name"], frozenset(acl.get("operations") or [acl.get("operation")])))
        for missing in sorted(table_acls.get(user, set()) - acls, key=str):
            problem(r.where("KafkaUser", user), f"lacks the ACL {missing[0]} {missing[1]} {missing[2]} {','.join(sorted(missing[3]))}")
        for extra in sorted(acls - table_acls.get(user, set()), key=str):
            problem(r.where("KafkaUser", user), f"has an ACL the table lacks: {extra[0]} {extra[1]} {extra[2]} {','.join(sorted(extra[3]))}")
    for user in sorted(set(kafka_users) - set(users)):
        problem(r.where(), f"KafkaUser {user} is not in deploy/kafka/layar-kafka.txt")
    for doc in list(kafka_users.values()) + list(kafka_topics.values()):
        label = (doc["metadata"].get("labels") or {}).get("strimzi.io/cluster")
        if cluster and label != cluster:
            problem(r.where(doc["kind"], doc["metadata"]["name"]), f"strimzi.io/cluster is {label!r}, the services use the cluster {cluster!r}")

    # (a) Each service as its own Kafka user, its Secret alone.
    ca_secret = f"{cluster or 'layar'}-cluster-ca-cert"
    for workload in r.workloads:
        kind, name, _, product, spec, _ = workload
        where = r.where(kind, name)
        own = f"layar-{product}" if product in SERVICES else None
        foreign = (set(kafka_users) | set(users)) - {own}
        for secret in sorted(referenced_secrets(spec) & foreign):
            problem(where, f"refers to the Secret of Kafka user {secret}" + (f", not its own {own}" if own else ": it uses no Kafka"))
        if product not in SERVICES:
            continue
        if own not in kafka_users:
            problem(where, f"no KafkaUser {own} in the rendering")
        for container in spec["containers"]:
            env = r.env(workload, container)
            value = lambda key: env.get(key, (None, None))[1] if env.get(key, (None,))[0] == "value" else None
            if value("KAFKA_SECURITY_PROTOCOL") != "sasl_ssl":
                problem(where, f"KAFKA_SECURITY_PROTOCOL is {value('KAFKA_SECURITY_PROTOCOL')!r}, expected sasl_ssl")
            if value("KAFKA_SASL_USERNAME") != own:
                problem(where, f"KAFKA_SASL_USERNAME is {value('KAFKA_SASL_USERNAME')!r}, expected its own user {own}")
            if value("KAFKA_SASL_MECHANISM") not in (None, "SCRAM-SHA-512"):
                problem(where, f"KAFKA_SASL_MECHANISM is {value('KAFKA_SASL_MECHANISM')!r}: the KafkaUsers are SCRAM-SHA-512")
            for variable, secret, key in (("KAFKA_SASL_PASSWORD_FILE", own, "password"), ("KAFKA_SSL_CA_FILE", ca_secret, "ca.crt")):
                path = value(variable)
                source = secret_file(spec, container, path) if path else None
                if source is None:
                    problem(where, f"{variable}={path!r} is not a file mounted from a Secret")
                elif source[:2] != (secret, key):
                    problem(where, f"{variable}={path} comes from Secret {source[0]} key {source[1]}, expected {secret} key {key}")
                elif not source[2]:
                    problem(where, f"{variable}={path}: mount it read-only")
            for variable in ("KAFKA_SSL_KEY_FILE", "KAFKA_SSL_CERT_FILE"):
                if variable in env:
                    problem(where, f"sets {variable}: the services authenticate with SCRAM, not client certificates")
            for variable, (kind_, content) in env.items():
                if kind_ == "missing-config":
                    problem(where, f"{variable} reads {content['name']}/{content['key']}, which the rendering lacks")
                if re.search(r"(TOKEN|PASSWORD|SECRET)$", variable) and kind_ == "value":
                    problem(where, f"{variable} is a literal value: secrets come from a Secret")

    # (b) Default deny in every namespace of LAYAR's workloads.
    for namespace in sorted({w[2] for w in service_workloads + portal_workloads}):
        deny = [p for p in r.policies if r.ns(p) == namespace and empty_selector(p["spec"].get("podSelector"))
                and {"Ingress", "Egress"} <= policy_types(p) and not p["spec"].get("ingress") and not p["spec"].get("egress")]
        if not deny:
            problem(r.where(), f"no default-deny NetworkPolicy (podSelector {{}}, policyTypes Ingress and Egress, no rules) in namespace {namespace}")

    portal_endpoints = [r.endpoint(w) for w in portal_workloads]
    layar_endpoints = {w[1]: r.endpoint(w) for w in service_workloads + portal_workloads}

    def matched_workloads(peer, policy_namespace):
        return [w for w in r.workloads if peer_matches(peer, policy_namespace, r.endpoint(w))]

    def ports_of(rule, target):
        """The rule's (protocol, port) pairs, numbers resolved; None for "every port"."""
        if not rule.get("ports"):
            return None
        pairs = set()
        for entry in rule["ports"]:
            if "port" not in entry:
                return None
            number = entry["port"]
            if isinstance(number, str):
                number = target.ports.get(number, number)
            end = entry.get("endPort", number)
            if not isinstance(number, int) or end - number > 64:
                return None
            pairs |= {(entry.get("protocol") or "TCP", n) for n in range(number, end + 1)}
        return pairs

    def is_namespace_only(peer, name):
        selector = peer.get("namespaceSelector")
        return (selector is not None and not selector.get("matchExpressions")
                and selector.get("matchLabels") == {"kubernetes.io/metadata.name": name})

    # (c) Ingress of the services' pods.
    for workload in service_workloads:
        kind, name, namespace, product, spec, _ = workload
        where = r.where(kind, name)
        target = r.endpoint(workload)
        ports = {p["name"]: p["containerPort"] for c in spec["containers"] for p in c.get("ports", []) if "name" in p}
        for policy in r.policies_for(target, "Ingress"):
            for rule in policy["spec"].get("ingress") or []:
                pwhere = f"{where} (NetworkPolicy {policy['metadata']['name']})"
                allowed = ports_of(rule, target)
                if not rule.get("from"):
                    public = ports.get(PUBLIC_PORTS.get(product))
                    if not public or allowed != {("TCP", public)}:
                        problem(pwhere, "takes ingress from anywhere" + (f" on {sorted(allowed or [])}, not only its {PUBLIC_PORTS[product]} port {public}" if public else ""))
                    continue
                if allowed is None:
                    problem(pwhere, "takes ingress on every port")
                    continue
                for peer in rule["from"]:
                    matched = matched_workloads(peer, r.ns(policy))
                    callers = {w[3] for w in matched}
                    if "ipBlock" in peer:
                        problem(pwhere, f"takes ingress from an address block {peer['ipBlock']}")
                    elif "namespaceSelector" not in peer and matched and all((w[3], product) in SERVICE_CALLS for w in matched):
                        expected = {("TCP", ports.get("grpc"))}
                        if allowed - expected:
                            problem(pwhere, f"lets {sorted(callers)} reach {sorted(allowed - expected)}, not only its gRPC port {ports.get('grpc')}")
                    elif "namespaceSelector" not in peer and matched and all(w[3] == "portal" for w in matched):
                        expected = {("TCP", ports.get("grpc"))}
                        if allowed - expected:
                            problem(pwhere, f"lets the portal reach {sorted(allowed - expected)}, not only its gRPC port {ports.get('grpc')}")
                    elif is_namespace_only(peer, MONITORING):
                        expected = {("TCP", ports.get("metrics"))}
                        if allowed - expected:
                            problem(pwhere, f"lets namespace {MONITORING} reach {sorted(allowed - expected)}, not only its metrics port {ports.get('metrics')}")
                    else:
                        problem(pwhere, f"takes ingress from {peer} (matching {[w[1] for w in matched]}), neither the portal nor namespace {MONITORING}")

    # (d) Egress of the portal and of the services.
    grpc_ports = {}
    for workload in service_workloads:
        if workload[0] == "Deployment":
            for container in workload[4]["containers"]:
                for port in container.get("ports", []):
                    if port.get("name") == "grpc":
                        grpc_ports[workload[1]] = port["containerPort"]
    for workload in service_workloads + portal_workloads:
        kind, name, namespace, product, spec, _ = workload
        where = r.where(kind, name)
        source = r.endpoint(workload)
        egress = r.policies_for(source, "Egress")
        if not egress:
            problem(where, "no NetworkPolicy restricts its egress")
        for policy in egress:
            for rule in policy["spec"].get("egress") or []:
                pwhere = f"{where} (NetworkPolicy {policy['metadata']['name']})"
                if not rule.get("to"):
                    problem(pwhere, "may connect anywhere")
                    continue
                for peer in rule["to"]:
                    matched = matched_workloads(peer, r.ns(policy))
                    target = r.endpoint(matched[0]) if matched else Endpoint()
                    allowed = ports_of(rule, target)
                    if allowed is None:
                        problem(pwhere, f"may connect to {peer} on every port")
                        continue
                    if is_namespace_only(peer, "kube-system"):
                        if allowed - {("UDP", DNS_PORT), ("TCP", DNS_PORT)}:
                            problem(pwhere, f"reaches kube-system on {sorted(allowed)}, not only DNS")
                    elif "ipBlock" in peer:
                        block = peer["ipBlock"]
                        open_private = [a for a in SAMPLE_PRIVATE if peer_matches(peer, r.ns(policy), Endpoint(ip=a))]
                        if product not in PUBLIC_HTTPS:
                            problem(pwhere, f"may connect to the address block {block['cidr']}")
                        elif allowed - {("TCP", HTTPS_PORT)}:
                            problem(pwhere, f"may connect to {block['cidr']} on {sorted(allowed)}, not only HTTPS")
                        elif open_private:
                            problem(pwhere, f"may connect to private addresses {[str(a) for a in open_private]}: except the private ranges")
                    elif matched and all(w[1] in grpc_ports for w in matched):
                        expected = {("TCP", grpc_ports[w[1]]) for w in matched}
                        if product != "portal" and not all((product, w[3]) in SERVICE_CALLS for w in matched):
                            problem(pwhere, f"may connect to {[w[1] for w in matched]}: only the portal calls the services")
                        elif allowed - expected:
                            problem(pwhere, f"may reach {[w[1] for w in matched]} on {sorted(allowed - expected)}, not only their gRPC ports")
                    elif matched:
                        problem(pwhere, f"may connect to LAYAR's own {[w[1] for w in matched]}")
                    elif "namespaceSelector" in peer and not peer.get("podSelector"):
                        problem(pwhere, f"may connect to whole namespaces {peer['namespaceSelector']}")
                    elif allowed == {("TCP", POSTGRES_PORT)}:
                        pass  # PostgreSQL: pods that are not LAYAR's (the selector operations adapt)
                    elif allowed == {("TCP", KAFKA_PORT)} and product != "portal":
                        selector = peer.get("podSelector") or {}
                        broker_labels = {"strimzi.io/cluster": cluster or "layar", "strimzi.io/kind": "Kafka"}
                        others = {"strimzi.io/cluster": cluster or "layar", "strimzi.io/kind": "KafkaConnect"}
                        if not selects(selector, broker_labels) or selects(selector, others):
                            problem(pwhere, f"reaches port {KAFKA_PORT} of {peer}, not the Kafka brokers (strimzi.io/kind Kafka)")
                    else:
                        problem(pwhere, f"may connect to {peer} on {sorted(allowed)}: the portal only to gRPC, PostgreSQL and DNS, the services only to PostgreSQL, Kafka and DNS")

    # What must work, works.
    dns = Endpoint("kube-system", None, {"k8s-app": "kube-dns"}, name="kube-dns")
    prometheus = Endpoint(MONITORING, None, {"app.kubernetes.io/name": "prometheus"}, name="prometheus")
    for workload in service_workloads + portal_workloads:
        kind, name, namespace, product, spec, _ = workload
        where = r.where(kind, name)
        source = r.endpoint(workload)
        if not r.allows(source, dns, DNS_PORT, "UDP"):
            problem(where, "cannot resolve names (DNS in kube-system, UDP 53)")
        if not any(rule_has_port(rule, POSTGRES_PORT) for p in r.policies_for(source, "Egress") for rule in p["spec"].get("egress") or []):
            problem(where, f"cannot reach PostgreSQL (no egress on {POSTGRES_PORT})")
        if product in SERVICES:
            broker = Endpoint(namespace, r.namespaces.get(namespace), {"strimzi.io/cluster": cluster or "layar", "strimzi.io/kind": "Kafka",
                                                                       "strimzi.io/name": f"{cluster or 'layar'}-kafka"}, name="broker")
            if not r.allows(source, broker, KAFKA_PORT):
                problem(where, f"cannot reach the Kafka brokers on {KAFKA_PORT}")
            if product in PUBLIC_HTTPS and kind == "Deployment" and not r.allows(source, Endpoint(ip=SAMPLE_PUBLIC), HTTPS_PORT):
                problem(where, f"cannot reach a public HTTPS address ({'providers' if product == 'notification' else 'LAPOR!'})")
            if kind == "Deployment":
                metrics = next((p["containerPort"] for c in spec["containers"] for p in c.get("ports", []) if p.get("name") == "metrics"), None)
                if metrics and not r.allows(prometheus, source, metrics):
                    problem(where, f"namespace {MONITORING} cannot scrape its metrics port {metrics}")
    for workload in portal_workloads:
        source = r.endpoint(workload)
        for container in workload[4]["containers"]:
            for variable, (kind_, address) in r.env(workload, container).items():
                if not variable.endswith("_ADDR") or kind_ != "value":
                    continue
                host, _, port = address.rpartition(":")
                service = next((s for s in r.services if s["metadata"]["name"] == host.split(".")[0]), None)
                if not service:
                    problem(r.where(workload[0], workload[1]), f"{variable}={address}: no Service {host}")
                    continue
                service_port = next((p for p in service["spec"]["ports"] if p["port"] == int(port)), None)
                targets = [w for w in service_workloads if w[0] == "Deployment" and selects({"matchLabels": service["spec"]["selector"]}, w[5])]
                for target_workload in targets:
                    target = r.endpoint(target_workload)
                    target_port = service_port.get("targetPort", service_port["port"]) if service_port else int(port)
                    target_port = target.ports.get(target_port, target_port)
                    if not r.allows(source, target, target_port):
                        problem(r.where(workload[0], workload[1]), f"cannot reach {target_workload[1]} on {target_port} ({variable})")
                if not targets:
                    problem(r.where(workload[0], workload[1]), f"{variable}={address}: the Service selects no LAYAR Deployment")

    # (f) Real channels in production.
    if development:
        return
    for workload in service_workloads:
        kind, name, namespace, product, spec, _ = workload
        if kind != "Deployment" or product not in ("notification", "survey"):
            continue
        where = r.where(kind, name)
        env = r.env(workload, spec["containers"][0])

        def setting(key):
            kind_, content = env.get(key, (None, None))
            return kind_ if kind_ == "secret" else (content if kind_ == "value" and content else None)

        if product == "notification":
            for channel in ("SMS", "WHATSAPP", "EMAIL"):
                provider = setting(f"LAYAR_{channel}_PROVIDER")
                if provider in (None, "log"):
                    problem(where, f"LAYAR_{channel}_PROVIDER is {provider or 'unset (log)'}: production sends through a real provider")
                    continue
                needed = ["URL"] + (["ACCOUNT", "FROM", "TOKEN"] if provider == "twilio" else ["TOKEN"])
                for suffix in needed:
                    if setting(f"LAYAR_{channel}_{suffix}") is None:
                        problem(where, f"LAYAR_{channel}_{suffix} is not set for the {provider} provider")
                if env.get(f"LAYAR_{channel}_TOKEN", (None,))[0] not in (None, "secret"):
                    problem(where, f"LAYAR_{channel}_TOKEN must come from a Secret")
                url = setting(f"LAYAR_{channel}_URL")
                if url not in (None, "secret") and not url.startswith("https://"):
                    problem(where, f"LAYAR_{channel}_URL={url}: providers are reached over HTTPS")
        else:
            if setting("LAYAR_LAPOR_URL") is None:
                problem(where, "LAYAR_LAPOR_URL is not set: production forwards complaints to SP4N-LAPOR!")
            if env.get("LAYAR_LAPOR_TOKEN", (None,))[0] != "secret":
                problem(where, "LAYAR_LAPOR_TOKEN must come from a Secret")


def rule_has_port(rule, port):
    return any(entry.get("port") == port for entry in rule.get("ports") or [])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--development", action="append", default=[], type=pathlib.Path,
                        help="a rendering that may use the development log channel (the base)")
    parser.add_argument("renderings", nargs="*", type=pathlib.Path)
    args = parser.parse_args()
    if not args.development and not args.renderings:
        parser.error("no rendering given")
    checked = 0
    for path, development in [(p, True) for p in args.development] + [(p, False) for p in args.renderings]:
        check(Rendering(path), development)
        checked += 1
    if problems:
        print("Kubernetes policy checks failed:\n  - " + "\n  - ".join(problems), file=sys.stderr)
        sys.exit(1)
    print(f"Kubernetes policy checks: {checked} renderings: each service its own Kafka user over SASL_SSL, "
          "default deny, ingress from the portal and monitoring only, egress only where needed, "
          "the topic table's topics, users and ACLs" + (", real channels in production" if args.renderings else ""))


if __name__ == "__main__":
    main()
