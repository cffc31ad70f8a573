/** Words of awarding points, the ledger with reversals, and redeeming at a partner shop. Chinese first. */
export const pointsWords = {
  zh: {
    awardTitle: '按规则奖励积分', rule: '规则', perAct: '分/次', perHour: '分/小时', capDay: (n: number) => `每日上限 ${n}`, capMonth: (n: number) => `每月上限 ${n}`,
    quantityAct: '次数', quantityHour: '小时数', award: '奖励积分', awardWill: (points: number) => `将奖励 ${points} 分`,
    awarded: (points: number, what: string) => `已奖励 ${points} 分：${what}`, noRules: '还没有积分规则，请管理员在「积分规则」里添加。', pickRule: '请先选择规则。',
    historyTitle: '积分流水', balanceAfter: (n: number) => `余 ${n}`, pending: '待同步', more: '更早的记录', end: '已到最早的记录。', none: '还没有积分流水。',
    redeemedWord: '兑换', shopWord: '商铺兑换', reverse: '冲正', reversed: '已冲正',
    reverseTitle: '确认冲正？', reverseBody: (delta: number) => (delta < 0 ? `冲正后退回 ${-delta} 分，兑换的商品回到货架。原记录保留，不会删除。` : `冲正后扣回 ${delta} 分。原记录保留，不会删除。`),
    donationStock: '捐赠的物品仍在库存里：如物品也退还给居民，请在「商品库存」盘点并注明原因。',
    reverseDone: '已冲正，等待同步。',
    shopTitle: '在爱心商铺用积分', shop: '商铺', offer: '项目', offerOther: '其他项目', pointsToShop: '积分', shopGo: '转给商铺',
    shopConfirmTitle: '确认在商铺兑换？', shopConfirmBody: (points: number, shop: string) => `从居民账户转 ${points} 分给「${shop}」。`,
    shopDone: (points: number, shop: string) => `已转 ${points} 分给「${shop}」。`, noShops: '还没有爱心商铺。',
  },
  en: {
    awardTitle: 'Award points by a rule', rule: 'Rule', perAct: 'pts/act', perHour: 'pts/hour', capDay: (n: number) => `${n} a day at most`, capMonth: (n: number) => `${n} a month at most`,
    quantityAct: 'Times', quantityHour: 'Hours', award: 'Award', awardWill: (points: number) => `${points} points will be awarded`,
    awarded: (points: number, what: string) => `${points} points awarded: ${what}`, noRules: 'No earning rules yet: an admin adds them under Earning rules.', pickRule: 'Pick a rule first.',
    historyTitle: 'Ledger', balanceAfter: (n: number) => `bal. ${n}`, pending: 'not synced', more: 'Earlier entries', end: 'That is the first entry.', none: 'No ledger entries yet.',
    redeemedWord: 'Redeemed', shopWord: 'At a shop', reverse: 'Reverse', reversed: 'Reversed',
    reverseTitle: 'Reverse this entry?', reverseBody: (delta: number) => (delta < 0 ? `${-delta} points go back and the goods return to the shelf. The entry stays on record.` : `${delta} points are taken back. The entry stays on record.`),
    donationStock: 'The donated items stay in stock: if they go back to the resident too, count them out under Goods and stock with the reason.',
    reverseDone: 'Reversed, waiting to sync.',
    shopTitle: 'Points at a partner shop', shop: 'Shop', offer: 'Offer', offerOther: 'Something else', pointsToShop: 'Points', shopGo: 'Give to the shop',
    shopConfirmTitle: 'Redeem at the shop?', shopConfirmBody: (points: number, shop: string) => `${points} points go from the resident to "${shop}".`,
    shopDone: (points: number, shop: string) => `${points} points given to "${shop}".`, noShops: 'No partner shops yet.',
  },
};
