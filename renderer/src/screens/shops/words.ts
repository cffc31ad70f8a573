/** Words of the partner shops (爱心商铺). Chinese first. */
export const shopWords = {
  zh: {
    title: '爱心商铺', offers: '优惠项目', balance: '商铺积分', inactive: '已停用', redeemHere: '商铺来超市兑换', awardHere: '给商铺奖励积分', historyHere: '积分明细', back: '返回商铺列表',
    residentHint: '居民在商铺用积分：请在「柜台」扫居民卡后选「商铺兑换」。', none: '还没有爱心商铺。',
  },
  en: {
    title: 'Partner shops', offers: 'Offers', balance: 'Shop\'s points', inactive: 'inactive', redeemHere: 'Redeem goods for the shop', awardHere: 'Award the shop points', historyHere: 'Points history', back: 'Back to the shops',
    residentHint: 'A resident spending points at a shop: scan their card at the Counter, then "At a partner shop".', none: 'No partner shops yet.',
  },
};
