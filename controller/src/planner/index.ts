export { Planner, defaultPlannerWeights, type PlannerWeights } from './planner.ts';
export { validatePlanInput, PlanInputError, type PlanInput } from './plan-input.ts';
export { planStepAt, type Plan, type PlanStep } from './plan.ts';
