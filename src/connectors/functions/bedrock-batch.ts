/**
 * Bedrock batch inference (`POST /model-invocation-job` → `{"jobArn": "arn:aws:bedrock:...:model-invocation-job/abc"}`).
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import { requireModelOutput } from './embedding-tensors.js';
import { isRecord } from './json-values.js';
import type { PostProcessFunction } from './types.js';

/**
 * `connector.post_process.bedrock.batch_job_arn` (BedrockBatchJobArnPostProcessFunction): the response
 * map plus `processedJobArn`, the ARN with every `/` written `%2F` so the status URL can embed it.
 */
export const bedrockBatchJobArnPostProcess = {
  defaultPath: '$',
  process: (filtered) => {
    const jobInfo = requireModelOutput(filtered);
    if (!isRecord(jobInfo)) throw illegalArgument('Post process function input is not a Map.');
    const jobArn = jobInfo['jobArn'];
    // Java checks only containsKey and then fails on a null or non-string ARN; both are "missing" here.
    if (typeof jobArn !== 'string') throw illegalArgument('job arn is missing.');
    return [{ name: 'response', dataAsMap: { ...jobInfo, processedJobArn: jobArn.replaceAll('/', '%2F') } }];
  },
} satisfies PostProcessFunction;
