export const FIRST_RUN_KEY = 'onair.firstRun';

export const isFirstRunDone = (storage: Storage = localStorage) => storage.getItem(FIRST_RUN_KEY) === 'done';
export const markFirstRunDone = (storage: Storage = localStorage) => storage.setItem(FIRST_RUN_KEY, 'done');
