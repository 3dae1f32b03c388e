import type { ProcessorDefinition } from '../processor-definition.js';
import { appendProcessor } from './append.js';
import { convertProcessor } from './convert.js';
import { copyProcessor } from './copy.js';
import { dropProcessor } from './drop.js';
import { failProcessor } from './fail.js';
import { foreachProcessor } from './foreach.js';
import { gsubProcessor } from './gsub.js';
import { htmlStripProcessor } from './html-strip.js';
import { joinProcessor } from './join.js';
import { jsonProcessor } from './json.js';
import { lowercaseProcessor } from './lowercase.js';
import { removeProcessor } from './remove.js';
import { renameProcessor } from './rename.js';
import { scriptProcessor } from './script.js';
import { setProcessor } from './set.js';
import { splitProcessor } from './split.js';
import { trimProcessor } from './trim.js';
import { uppercaseProcessor } from './uppercase.js';

/** OpenSearch's everyday ingest processors. One import and one line per processor. */
export const coreIngestProcessors = {
  append: appendProcessor,
  convert: convertProcessor,
  copy: copyProcessor,
  drop: dropProcessor,
  fail: failProcessor,
  foreach: foreachProcessor,
  gsub: gsubProcessor,
  html_strip: htmlStripProcessor,
  join: joinProcessor,
  json: jsonProcessor,
  lowercase: lowercaseProcessor,
  remove: removeProcessor,
  rename: renameProcessor,
  script: scriptProcessor,
  set: setProcessor,
  split: splitProcessor,
  trim: trimProcessor,
  uppercase: uppercaseProcessor,
} as const satisfies Record<string, ProcessorDefinition<any, 'ingest'>>;
