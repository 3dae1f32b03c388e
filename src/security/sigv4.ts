import aws4 from 'aws4';
import { createHash } from 'node:crypto';
import { illegalArgument } from '../errors/opensearch-error.js';

const CONTENT_HASH_HEADER = 'x-amz-content-sha256';

/** AWS credentials from a connector's decrypted `credential`. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * Signs a request with AWS Signature Version 4 (aws4). Blueprints send the header
 * `x-amz-content-sha256: required`, which the AWS SDK replaces with the payload hash; so do we,
 * and the signature then covers the SHA-256 of the body actually sent.
 */
export function signSigV4(options: {
  url: string;
  method: string;
  headers: Readonly<Record<string, string>>;
  body: string | undefined;
  service: string;
  region: string;
  credentials: AwsCredentials;
}): Record<string, string> {
  const url = new URL(options.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers)) {
    if (name.toLowerCase() !== CONTENT_HASH_HEADER) headers[name] = value;
  }
  headers[CONTENT_HASH_HEADER] = createHash('sha256').update(options.body ?? '', 'utf8').digest('hex');
  const signed = aws4.sign(
    {
      host: url.host,
      path: `${url.pathname}${url.search}`,
      method: options.method,
      headers,
      body: options.body ?? '',
      service: options.service,
      region: options.region,
    },
    {
      accessKeyId: options.credentials.accessKeyId,
      secretAccessKey: options.credentials.secretAccessKey,
      ...(options.credentials.sessionToken ? { sessionToken: options.credentials.sessionToken } : {}),
    },
  );
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) {
    // aws4 adds Host and Content-Length; the HTTP client sets both itself.
    if (name.toLowerCase() !== 'host' && name.toLowerCase() !== 'content-length') result[name] = String(value);
  }
  return result;
}

/** The AWS credentials, service and region of an aws_sigv4 connector (ML Commons' AwsConnector rules). */
export function awsSigningContext(
  parameters: Readonly<Record<string, string | null>>,
  credential: Readonly<Record<string, string>>,
): { credentials: AwsCredentials; service: string; region: string } {
  const accessKeyId = credential['access_key'];
  const secretAccessKey = credential['secret_key'];
  if (!accessKeyId || !secretAccessKey) throw illegalArgument('Missing credential');
  const service = parameters['service_name'] ?? credential['service_name'];
  if (!service) throw illegalArgument('Missing service name');
  const region = parameters['region'] ?? credential['region'];
  if (!region) throw illegalArgument('Missing region');
  const sessionToken = credential['session_token'];
  return { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }, service, region };
}
