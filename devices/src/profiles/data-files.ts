import { fileURLToPath } from 'node:url';

/** The vendored data folder, devices/data (see its README for origin and licence). */
export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));
export const VIC_ELEC_FILE = `${DATA_DIR}vic_elec.csv.gz`;
export const VIC_PV_CAPACITY_FACTOR_FILE = `${DATA_DIR}vic_pv_capacity_factor_2012_2014.csv.gz`;
