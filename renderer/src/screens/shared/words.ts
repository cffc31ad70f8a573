import type { EarningCategory, ResidentFlag } from '../../../../core/index.js';

/** Words every points-store screen shares: confirming, printing, finding a resident. Chinese first. */
export const sharedWords = {
  zh: {
    confirm: '确认', cancel: '取消', save: '保存', close: '关闭', points: '分', reason: '原因', note: '备注', quantity: '数量',
    print: '打印', printAgain: '补打', printing: '正在打印…', printed: '已打印', printPreview: '打印预览',
    searchLabel: '找居民（姓名、拼音首字母、手机尾号、楼栋房号）', searchPlaceholder: '如：张三明、zsm、5678、3栋501',
    noMatch: '没有找到相符的居民。', phoneTail: (tail: string) => `尾号 ${tail}`,
    cardOrSearch: '扫居民卡，或输入卡号', lookUp: '查询',
    categories: { governance: '小区治理', civility: '文明帮创', reuse: '废旧利用', volunteering: '志愿服务', other: '其他' } satisfies Record<EarningCategory, string>,
    flags: { livesAlone: '独居', disabled: '失能', lowIncome: '低保', extremeHardship: '特困', homeDelivery: '送餐' } satisfies Record<ResidentFlag, string>,
    saved: '已保存，等待同步。', notSaved: (why: string) => `保存失败，没有记入：${why}`,
  },
  en: {
    confirm: 'Confirm', cancel: 'Cancel', save: 'Save', close: 'Close', points: 'pts', reason: 'Reason', note: 'Note', quantity: 'Quantity',
    print: 'Print', printAgain: 'Reprint', printing: 'Printing…', printed: 'Printed', printPreview: 'Print preview',
    searchLabel: 'Find a resident (name, pinyin initials, phone\'s last 4, building and room)', searchPlaceholder: 'e.g. 张三明, zsm, 5678, 3栋501',
    noMatch: 'No resident matches.', phoneTail: (tail: string) => `phone …${tail}`,
    cardOrSearch: 'Scan a resident card, or type its code', lookUp: 'Look up',
    categories: { governance: 'Neighbourhood', civility: 'Civility', reuse: 'Reuse', volunteering: 'Volunteering', other: 'Other' } satisfies Record<EarningCategory, string>,
    flags: { livesAlone: 'Lives alone', disabled: 'Disabled', lowIncome: 'Minimum income', extremeHardship: 'Special hardship', homeDelivery: 'Meals delivered' } satisfies Record<ResidentFlag, string>,
    saved: 'Saved, waiting to sync.', notSaved: (why: string) => `Not saved, nothing was recorded: ${why}`,
  },
};
