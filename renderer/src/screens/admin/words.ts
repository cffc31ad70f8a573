/** Words of the admin's earning rules and partner shops. Chinese first. */
export const adminWords = {
  zh: {
    rulesTitle: '积分规则（评分细则）', newRule: '新增规则', edit: '修改', name: '规则名称', category: '类别', unit: '计分方式', units: { act: '按次', hour: '按小时' },
    points: '每次/每小时积分', capDay: '每日上限（可空）', capMonth: '每月上限（可空）', active: '启用', inactive: '已停用', saveRule: '保存规则',
    ruleSaved: (name: string) => `规则「${name}」已保存，等待同步。`, deactivate: '停用', activate: '启用',
    shopsTitle: '爱心商铺', newShop: '新增商铺', shopName: '商铺名称', offers: '优惠项目（每行一项，如：理发 50分）', saveShop: '保存商铺',
    shopSaved: (name: string) => `商铺「${name}」已保存，等待同步。`,
    valuesTitle: '旧物捐赠估价（每件积分）', valuesHint: '登记捐赠时按此建议积分；改动不影响已登记的捐赠。', good: '较新', fair: '一般', saveValue: '保存',
    valueSaved: (category: string, good: number, fair: number) => `「${category}」每件：较新 ${good} 分，一般 ${fair} 分。已保存，等待同步。`,
  },
  en: {
    rulesTitle: 'Earning rules', newRule: 'New rule', edit: 'Edit', name: 'Rule name', category: 'Category', unit: 'Counted', units: { act: 'per act', hour: 'per hour' },
    points: 'Points per act/hour', capDay: 'Cap a day (may be empty)', capMonth: 'Cap a month (may be empty)', active: 'In use', inactive: 'not in use', saveRule: 'Save the rule',
    ruleSaved: (name: string) => `Rule "${name}" saved, waiting to sync.`, deactivate: 'Stop', activate: 'Use again',
    shopsTitle: 'Partner shops', newShop: 'New shop', shopName: 'Shop name', offers: 'Offers (one a line, e.g. 理发 50分)', saveShop: 'Save the shop',
    shopSaved: (name: string) => `Shop "${name}" saved, waiting to sync.`,
    valuesTitle: 'Donated items: points each', valuesHint: 'A donation is proposed at these; a change leaves donations taken in as they were.', good: 'Good', fair: 'Fair', saveValue: 'Save',
    valueSaved: (category: string, good: number, fair: number) => `${category}: ${good} points each in good condition, ${fair} fair. Saved, waiting to sync.`,
  },
};
