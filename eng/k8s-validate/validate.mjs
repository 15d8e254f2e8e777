// Validates every object of a multi-document YAML stream (stdin, as `kubectl kustomize` prints it) against the
// Kubernetes OpenAPI schemas (kubernetes-models), KEDA's CRD schemas (@kubernetes-models/keda) and Kueue's own CRDs
// (kueue/, validated with ajv), offline. A ConfigMap key ending in pod-template.yaml holds a PodTemplateSpec (the
// trainer Job's pod): it is validated as one. Prints one line per invalid object and exits 1 if any; an apiVersion
// without a schema here is an error too.
import { readFileSync, readdirSync } from "node:fs";
import { parseAllDocuments, parse } from "yaml";
import Ajv from "ajv";

const modules = {
  "keda.sh": (version) => `@kubernetes-models/keda/keda.sh/${version}`,
};

const crdFolder = new URL("./kueue/", import.meta.url);
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

// The API server (with kubectl's default strict field validation) refuses a field a structural schema does not
// declare; JSON Schema allows it unless told otherwise, so say so wherever the CRD does not keep unknown fields.
function closed(schema) {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== "object") return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, closed(s)])) : closed(v)]));
  if (copy.properties && copy.additionalProperties === undefined && !copy["x-kubernetes-preserve-unknown-fields"])
    copy.additionalProperties = false;
  return copy;
}

// apiVersion/kind -> validate(object) for every served version of every CRD in kueue/.
const crdValidators = new Map();
for (const file of readdirSync(crdFolder).filter((f) => f.endsWith(".yaml"))) {
  const crd = parse(readFileSync(new URL(file, crdFolder), "utf8"));
  for (const version of crd.spec.versions.filter((v) => v.served)) {
    const schema = closed(version.schema.openAPIV3Schema);
    // Object metadata is the API server's, not the CRD's: Kubernetes' ObjectMeta rules apply, checked elsewhere.
    schema.properties.metadata = { type: "object" };
    crdValidators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
  }
}

function crdModel(apiVersion, kind) {
  const validate = crdValidators.get(`${apiVersion}/${kind}`);
  if (!validate) return undefined;
  return class {
    constructor(object) { this.object = object; }
    validate() {
      if (!validate(this.object))
        throw new Error(validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`).join("; "));
    }
  };
}

async function modelFor(apiVersion, kind) {
  const crd = crdModel(apiVersion, kind);
  if (crd) return crd;
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path = modules[group]?.(version) ?? (group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
  const module = await import(path).catch(() => ({}));
  return module[kind];
}

// kustomize wraps long base64 values over lines, which the API server (Go's decoder) reads as one: so does this check.
const unwrapped = (object) =>
  object.kind === "Secret" && object.data
    ? { ...object, data: Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, String(v).replace(/\s/g, "")])) }
    : object;

// A pod template kept as text in a ConfigMap, as the object the API server would build from it.
const podTemplates = (object) =>
  object.kind === "ConfigMap"
    ? Object.entries(object.data ?? {}).filter(([key]) => key.endsWith("pod-template.yaml")).map(([key, text]) => ({
        apiVersion: "v1",
        kind: "PodTemplate",
        metadata: { name: `${object.metadata?.name}[${key}]` },
        template: parse(text),
      }))
    : [];

const rendered = parseAllDocuments(readFileSync(0, "utf8")).map((d) => d.toJS()).filter((o) => o).map(unwrapped);
const documents = [...rendered, ...rendered.flatMap(podTemplates)];
const errors = [];
for (const object of documents) {
  const name = `${object.kind}/${object.metadata?.name}`;
  const Model = await modelFor(object.apiVersion ?? "", object.kind ?? "");
  if (!Model) {
    errors.push(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    errors.push(`${name}: ${e.message}`);
  }
}
for (const error of errors) console.log(error);
console.log(`${documents.length - errors.length} of ${documents.length} objects valid`);
process.exit(errors.length ? 1 : 0);
