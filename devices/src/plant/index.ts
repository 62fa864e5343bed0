export {
  startPlant,
  UnknownDeviceError,
  type PlantEndpoint,
  type RunningPlant,
  type StartPlantOptions,
} from './start-plant.ts';
export {
  parsePlantConfig,
  plantConfigSchema,
  PlantConfigError,
  type PlantConfig,
  type PlantConfigInput,
} from './plant-config.ts';
