/**
 * ML Commons' access-control messages, each with the status ML Commons answers. Where ML Commons
 * throws an `MLValidationException` (a 500 there) this service answers 403 with the same words.
 */
import { illegalArgument, statusException, type OpenSearchError } from '../../errors/opensearch-error.js';

const forbidden = (reason: string): OpenSearchError => statusException(403, reason);

/** GET, deploy and delete of a model whose group the caller may not use. */
export const modelDenied = (): OpenSearchError => forbidden("User doesn't have privilege to perform this operation on this model");

/** Predict (ML Commons capitalises "Doesn't" here). */
export const predictDenied = (): OpenSearchError => forbidden("User Doesn't have privilege to perform this operation on this model");

/** Update of a model whose group the caller may not use. */
export const modelUpdateDenied = (modelId: string): OpenSearchError =>
  forbidden(`User doesn't have privilege to perform this operation on this model, model ID ${modelId}`);

/** Moving a model into a group the caller may not use. */
export const modelRelinkDenied = (groupId: string): OpenSearchError =>
  forbidden(
    `User Doesn't have privilege to re-link this model to the target model group due to no access to the target model group with model group ID ${groupId}`,
  );

/** Undeploy of a model whose group the caller may not use (an IllegalArgumentException in ML Commons). */
export const undeployDenied = (modelId: string): OpenSearchError => illegalArgument(`No permission to undeploy model ${modelId}`);

/** With model access control on, ML Commons undeploys one model per request. */
export const undeployOneModelOnly = (): OpenSearchError => illegalArgument('only support undeploy one model');

/** Registering a model into a group the caller may not use. */
export const registerIntoGroupDenied = (): OpenSearchError =>
  illegalArgument("You don't have permissions to perform this operation on this model.");

/** Registering without a group id when the model's name is a group the caller may not use. */
export const groupNameUnavailable = (name: string, groupId: string): OpenSearchError =>
  illegalArgument(
    `The name {${name}} you provided is unavailable because it is used by another model group with id {${groupId}} to which you do not have access. Please provide a different name.`,
  );

/** GET of a model group. */
export const modelGroupDenied = (): OpenSearchError =>
  forbidden("User doesn't have privilege to perform this operation on this model group");

/** DELETE of a model group (ML Commons: MLValidationException, a 500). */
export const modelGroupDeleteDenied = (): OpenSearchError => forbidden("User doesn't have privilege to delete this model group");

/** A model group a check needs is gone (ML Commons: MLResourceNotFoundException, a 500). */
export const modelGroupMissing = (): OpenSearchError => statusException(404, 'Fail to find model group');

/** GET of a connector. */
export const connectorDenied = (): OpenSearchError => forbidden("You don't have permission to access this connector");

/** A `connector_id` at model register the caller may not use (an IllegalArgumentException in ML Commons). */
export const connectorUseDenied = (connectorId: string): OpenSearchError =>
  illegalArgument(`You don't have permission to use the connector provided, connector id: ${connectorId}`);

/** PUT of a connector (an IllegalArgumentException in ML Commons). */
export const connectorUpdateDenied = (connectorId: string): OpenSearchError =>
  illegalArgument(`You don't have permission to update the connector, connector id: ${connectorId}`);

/** A new `connector_id` on model update (a 403 in ML Commons, unlike the connector's own PUT). */
export const modelConnectorUpdateDenied = (connectorId: string): OpenSearchError =>
  forbidden(`You don't have permission to update the connector, connector id: ${connectorId}`);

/** DELETE of a connector (ML Commons: MLValidationException, a 500). */
export const connectorDeleteDenied = (): OpenSearchError => forbidden('You are not allowed to delete this connector');
