import { OpenSearchError } from '../../errors/opensearch-error.js';
import { javaToString } from '../../painless/index.js';
import { defineProcessor } from '../processor-definition.js';
import { stringOption } from './options.js';

interface ScriptConfig {
  source?: string;
  inline?: string;
  id?: string;
  lang: string;
  params?: Record<string, unknown>;
  options?: Record<string, string>;
}

/** Script.parse and ScriptService failures: a 400 naming the processor. */
function scriptConfigError(tag: string | undefined, reason: string): OpenSearchError {
  return new OpenSearchError({
    status: 400,
    type: 'illegal_argument_exception',
    reason,
    extra: { processor_type: 'script', ...(tag === undefined ? {} : { processor_tag: tag }) },
  });
}

/** The script to run, after OpenSearch's Script.parse checks; stored scripts are refused. */
function inlineSource(config: ScriptConfig, tag: string | undefined): string {
  const source = config.source ?? config.inline;
  if (source !== undefined && config.id !== undefined)
    throw scriptConfigError(tag, 'must only use one of [source, id] when specifying a script');
  if (config.id !== undefined) {
    throw scriptConfigError(
      tag,
      `stored scripts are not supported: put the script in [source] instead of referring to [id] [${config.id}]`,
    );
  }
  if (source === undefined)
    throw scriptConfigError(
      tag,
      'must specify either [source] for an inline script or [id] for a stored script',
    );
  const illegalOptions = Object.entries(config.options ?? {}).filter(
    ([name]) => name !== 'content_type',
  );
  if (illegalOptions.length > 0)
    throw scriptConfigError(
      tag,
      `illegal compiler options [${javaToString(Object.fromEntries(illegalOptions))}] specified`,
    );
  if (config.lang !== 'painless')
    throw scriptConfigError(tag, `script_lang not supported [${config.lang}]`);
  return source;
}

/** `script`: runs an inline Painless script with the document as `ctx` (changes to ctx stick). */
export const scriptProcessor = defineProcessor({
  type: 'script',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      source: stringOption(
        'The Painless script; `ctx` is the document (source and metadata fields).',
      ),
      inline: stringOption('Deprecated name of `source`.'),
      id: stringOption('A stored script id; not supported here (use `source`).'),
      lang: {
        type: 'string',
        default: 'painless',
        description: 'The script language; only `painless`.',
      },
      params: { type: 'object', description: 'Values the script reads as `params`.' },
      options: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Compiler options; only `content_type` is accepted.',
      },
    },
  },
  create(config: ScriptConfig, deps, tag) {
    const source = inlineSource(config, tag);
    let script: ReturnType<typeof deps.compileScript>;
    try {
      // Compiled now, so a broken script fails when the pipeline is stored, not per document.
      script = deps.compileScript(source);
    } catch (error) {
      if (!(error instanceof OpenSearchError)) throw error;
      throw new OpenSearchError({
        status: error.status,
        type: error.type,
        reason: error.reason,
        extra: {
          ...error.extra,
          processor_type: 'script',
          ...(tag === undefined ? {} : { processor_tag: tag }),
        },
        cause: error,
      });
    }
    const params = config.params ?? {};
    return {
      type: 'script',
      async execute(document) {
        // Each document gets its own params, so one run cannot leak changes into the next.
        script.execute({ ctx: document.sourceAndMetadata, params: structuredClone(params) });
      },
    };
  },
});
