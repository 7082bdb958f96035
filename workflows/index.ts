/** The workflows the orchestrator worker registers. Pure: imports only workflow-safe modules and activity types. */
export { experimentWorkflow } from './experiment';
export { deferredEvaluationWorkflow, iterationWorkflow } from './iteration';
export { episodeWorkflow } from './episode';
export { sweepWorkflow } from './sweep';
