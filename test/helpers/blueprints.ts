import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TEST_API_KEY,
  TEST_AWS_ACCESS_KEY_ID,
  TEST_AWS_SECRET_ACCESS_KEY,
  TEST_AWS_SESSION_TOKEN,
  TEST_AWS_TEMPORARY_ACCESS_KEY_ID,
} from '../../fixtures/emulator/test-credentials.js';

const BLUEPRINT_DIR = join(import.meta.dirname, '../../fixtures/blueprints');

export interface BlueprintPredict {
  path: string;
  body: Record<string, unknown>;
}

export interface BlueprintCase {
  id: string;
  file: string;
  connector: Record<string, any>;
  predict: BlueprintPredict[];
  /** Every predict example of the case's file. */
  fileExamples: BlueprintPredict[];
}

/** Every case of every file in fixtures/blueprints, as users paste them. */
export function loadBlueprintCases(): BlueprintCase[] {
  return readdirSync(BLUEPRINT_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const content = JSON.parse(readFileSync(join(BLUEPRINT_DIR, file), 'utf8')) as {
        cases: Array<{ connector: Record<string, any>; predict: BlueprintPredict[] }>;
      };
      const fileExamples = content.cases.flatMap((blueprintCase) => blueprintCase.predict);
      return content.cases.map((blueprintCase, index) => ({ id: `${file}#${index}`, file, fileExamples, ...blueprintCase }));
    });
}

/** Trusted-endpoint and private-IP settings that let connectors reach the emulator on loopback. */
export const EMULATOR_SETTINGS = {
  persistent: {
    'plugins.ml_commons.trusted_connector_endpoints_regex': ['^http://127\\.0\\.0\\.1:[0-9]+(/.*)?$'],
    'plugins.ml_commons.connector.private_ip_enabled': true,
  },
};

/**
 * The connector pointed at the emulator: each action URL keeps its path and query but its scheme
 * and host become the emulator's; credentials become the emulator's test values (managed-service
 * forms such as `roleArn` or `secretArn` get test access keys in their place); placeholder regions
 * become a real one.
 */
export function pointAtEmulator(connector: Record<string, any>, emulatorUrl: string): Record<string, any> {
  const copy = structuredClone(connector);
  copy.actions = copy.actions.map((action: Record<string, any>) => ({
    ...action,
    url: emulatorUrl + (/^[a-z]+:\/\/[^/?]*(.*)$/i.exec(action.url)?.[1] ?? ''),
  }));
  const parameters = { ...(copy.parameters ?? {}) };
  if (typeof parameters.region === 'string' && /[<{]/.test(parameters.region)) parameters.region = 'us-east-1';
  copy.parameters = parameters;
  if (copy.protocol === 'aws_sigv4') {
    const temporary = Object.hasOwn(copy.credential ?? {}, 'session_token');
    copy.credential = {
      access_key: temporary ? TEST_AWS_TEMPORARY_ACCESS_KEY_ID : TEST_AWS_ACCESS_KEY_ID,
      secret_key: TEST_AWS_SECRET_ACCESS_KEY,
      ...(temporary ? { session_token: TEST_AWS_SESSION_TOKEN } : {}),
    };
  } else {
    const credential: Record<string, string> = {};
    for (const key of Object.keys(copy.credential ?? {})) credential[key] = TEST_API_KEY;
    for (const action of copy.actions) {
      for (const header of Object.values(action.headers ?? {}) as string[]) {
        for (const match of header.matchAll(/\$\{credential\.([^}]+)\}/g)) credential[match[1]!] = TEST_API_KEY;
      }
    }
    copy.credential = credential;
  }
  return copy;
}

/** Replaces the model id in a blueprint's predict path. */
export function predictPath(path: string, modelId: string): string {
  return path
    .replace(/(\/_plugins\/_ml\/models\/)[^/]+(\/_predict)/, `$1${modelId}$2`)
    .replace(/(\/_plugins\/_ml\/_predict\/[^/]+\/)[^/?]+/, `$1${modelId}`);
}
