// Validates every object of a multi-document YAML stream (stdin, as `kubectl kustomize` prints it) against the
// Kubernetes OpenAPI schemas (kubernetes-models) and KEDA's CRD schemas (@kubernetes-models/keda), offline.
// Prints one line per invalid object and exits 1 if any; an apiVersion without a schema here is an error too.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const modules = {
  "keda.sh": (version) => `@kubernetes-models/keda/keda.sh/${version}`,
};

async function modelFor(apiVersion, kind) {
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

const documents = parseAllDocuments(readFileSync(0, "utf8")).map((d) => d.toJS()).filter((o) => o).map(unwrapped);
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
