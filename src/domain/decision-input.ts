import type { Application, Characteristics } from '../schemas/descriptor'

/** What the engine decides on: the application and its characteristics as submitted. */
export interface DecisionInput {
  application: Application
  characteristics: Characteristics
}
