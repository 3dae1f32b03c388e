import { illegalArgument } from '../../errors/opensearch-error.js';
import { METADATA_FIELDS, type IngestDocument } from '../../pipeline/ingest-document.js';
import { defineProcessor } from '../processor-definition.js';
import { isNullOrEmpty } from './field-value.js';
import { compileOption, ignoreMissingOption, optionError } from './options.js';
import { compileTemplate, templateModel, type Template } from './template.js';

interface RemoveConfig {
  field?: string | string[];
  exclude_field?: string | string[];
  ignore_missing: boolean;
}

const fieldsOption = (description: string) =>
  ({ type: ['string', 'array'], items: { type: 'string' }, description }) as const;

/** Metadata OpenSearch never lets a pipeline remove. */
const PROTECTED_METADATA = new Set(['_index', '_version', '_version_type']);
const METADATA = new Set<string>(METADATA_FIELDS);

/** `remove`: removes fields, or with `exclude_field` every top-level source field except those. */
export const removeProcessor = defineProcessor({
  type: 'remove',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      field: fieldsOption('A field or list of fields to remove; supports `{{field}}` templates.'),
      exclude_field: fieldsOption(
        'Top-level fields to keep; every other non-metadata field is removed.',
      ),
      ignore_missing: ignoreMissingOption,
    },
  },
  create(config: RemoveConfig, _deps, tag) {
    if ((config.field === undefined) === (config.exclude_field === undefined)) {
      throw optionError('remove', tag, 'field', 'either field or exclude_field must be set');
    }
    const property = config.field === undefined ? 'exclude_field' : 'field';
    const paths = [config.field ?? config.exclude_field ?? []].flat();
    const templates = paths.map((path) =>
      compileOption('remove', tag, property, () => compileTemplate(path)),
    );
    return {
      type: 'remove',
      async execute(document) {
        if (property === 'field') removeFields(document, templates, config.ignore_missing);
        else keepOnly(document, templates);
      },
    };
  },
});

function removeFields(
  document: IngestDocument,
  templates: readonly Template[],
  ignoreMissing: boolean,
): void {
  for (const template of templates) {
    const path = template.render(templateModel(document));
    if (isNullOrEmpty(path) || !document.hasField(path)) {
      if (ignoreMissing) continue;
      throw illegalArgument(
        isNullOrEmpty(path)
          ? 'field path cannot be null nor empty'
          : `field [${path}] doesn't exist`,
      );
    }
    if (PROTECTED_METADATA.has(path))
      throw illegalArgument(`cannot remove metadata field [${path}]`);
    // With an external version the _id is what makes the write idempotent.
    const versionType = document.getField('_version_type', true);
    if (path === '_id' && versionType !== undefined && versionType !== 'internal') {
      const version = document.getField('_version', true) ?? null;
      throw illegalArgument(
        `cannot remove metadata field [_id] when specifying external version for the document, version: ${String(version)}, version_type: ${String(versionType)}`,
      );
    }
    document.removeField(path);
  }
}

function keepOnly(document: IngestDocument, templates: readonly Template[]): void {
  const keep = new Set(
    templates
      .map((template) => template.render(templateModel(document)))
      .filter((path) => !isNullOrEmpty(path)),
  );
  // Nothing to keep (every name rendered empty) means nothing is removed, as in OpenSearch.
  if (keep.size === 0) return;
  for (const key of Object.keys(document.sourceAndMetadata)) {
    if (!METADATA.has(key) && !keep.has(key)) document.removeField(key);
  }
}
