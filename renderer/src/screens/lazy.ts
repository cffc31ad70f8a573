import { lazy } from 'react';

/**
 * The screens staff work after signing in, loaded apart from the start: a kiosk opens to its
 * sign-in, so what is drawn first (and counted by cold_start_to_scan_ready) is the sign-in alone,
 * without these screens or bwip-js (1 MB, for the symbols of printed documents). `preloadScreens`
 * fetches them once the sign-in is on screen, so they are there when staff have signed in (and,
 * in a browser, in the offline shell).
 */
const loaders = {
  counter: () => import('./Counter.js'),
  canteen: () => import('../canteen/CanteenApp.js'),
  calling: () => import('../canteen/CallingScreen.js'),
  exceptions: () => import('./Exceptions.js'),
  rules: () => import('./admin/RulesScreen.js'),
  donations: () => import('./donations/DonationScreen.js'),
  goods: () => import('./goods/GoodsScreen.js'),
  reports: () => import('./reports/ReportsScreen.js'),
  service: () => import('./service/ServiceScreen.js'),
  shops: () => import('./shops/ShopsScreen.js'),
};

export const Counter = lazy(() => loaders.counter().then((m) => ({ default: m.Counter })));
export const CanteenApp = lazy(() => loaders.canteen().then((m) => ({ default: m.CanteenApp })));
export const CallingScreen = lazy(() => loaders.calling().then((m) => ({ default: m.CallingScreen })));
export const Exceptions = lazy(() => loaders.exceptions().then((m) => ({ default: m.Exceptions })));
export const RulesScreen = lazy(() => loaders.rules().then((m) => ({ default: m.RulesScreen })));
export const DonationScreen = lazy(() => loaders.donations().then((m) => ({ default: m.DonationScreen })));
export const GoodsScreen = lazy(() => loaders.goods().then((m) => ({ default: m.GoodsScreen })));
export const ReportsScreen = lazy(() => loaders.reports().then((m) => ({ default: m.ReportsScreen })));
export const ServiceScreen = lazy(() => loaders.service().then((m) => ({ default: m.ServiceScreen })));
export const ShopsScreen = lazy(() => loaders.shops().then((m) => ({ default: m.ShopsScreen })));

/** Fetches every screen above (each resolves once its module and the chunks it imports are in). */
export async function preloadScreens(): Promise<void> {
  await Promise.all(Object.values(loaders).map((load) => load()));
}
