/** The public face of `core/`: the other parts import from here. */
export * from './entities.js';
export * from './errors.js';
export * from './ids.js';
export * from './missingCase.js';
export * from './i18n/messages.js';
export * from './time/businessTime.js';
export * from './events/events.js';
export * from './events/references.js';
export * from './points/rules.js';
export * from './points/overlay.js';
export * from './residents/resident.js';
export * from './goods/barcode.js';
export * from './receipt/receipt.js';
export * from './sync/contract.js';
export * from './devices/profiles.js';
export * from './bridge.js';
