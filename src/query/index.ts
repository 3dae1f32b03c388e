/**
 * The query DSL evaluator behind every `_search` endpoint: `search` runs a body over stored
 * records, `compileQuery` exposes a compiled query for composition with caller filters, and
 * `validateSearchBody` checks a body without running it.
 */
export { search, type SearchHit, type SearchRequest, type SearchResponse } from './search.js';
export {
  compileQuery,
  type CompiledQuery,
  type CompileQueryOptions,
  type RecordPredicate,
} from './compiled-query.js';
export {
  parseSearchBody,
  validateSearchBody,
  MAX_RESULT_WINDOW,
  type ParsedSearch,
} from './search-body.js';
export { SUPPORTED_CLAUSES, UNSUPPORTED_CLAUSES } from './compile-query.js';
export { applySourceFilter, parseSourceFilter, type SourceFilter } from './source-filter.js';
export { analyzeTerms } from './analyzer.js';
export {
  DYNAMIC_MAPPING,
  type DynamicMapping,
  type FieldDefinition,
  type FieldMapping,
  type FieldType,
} from './field-mapping.js';
export {
  ML_CONNECTOR_INDEX,
  ML_CONNECTOR_MAPPING,
  ML_INDEX_MAPPINGS,
  ML_MODEL_GROUP_INDEX,
  ML_MODEL_GROUP_MAPPING,
  ML_MODEL_INDEX,
  ML_MODEL_MAPPING,
  ML_TASK_INDEX,
  ML_TASK_MAPPING,
} from './ml-mappings.js';
