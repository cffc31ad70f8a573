/** Words of the counter's resident pane and basket. Chinese first. */
export const counterWords = {
  zh: {
    modes: { basket: '兑换商品', award: '奖励积分', shop: '商铺兑换', history: '积分流水' },
    replaceCard: '补卡', register: '新居民登记', orSearch: '没带卡？',
    cannotRedeem: '不能兑换：', basketTitleShop: (shop: string) => `${shop} 兑换商品`,
    switchTitle: '已选商品还没有兑换', switchBody: (count: number) => `已选了 ${count} 件商品，还没有确认兑换。换成刚扫的居民，已选商品会清空。`,
    switchKeep: '继续当前居民', switchGo: '换下一位',
    restored: '已恢复刷新前的已选商品。',
    lowStockMark: '库存低',
  },
  en: {
    modes: { basket: 'Redeem goods', award: 'Award points', shop: 'At a partner shop', history: 'Ledger' },
    replaceCard: 'Replace card', register: 'Register a resident', orSearch: 'No card?',
    cannotRedeem: 'Cannot redeem: ', basketTitleShop: (shop: string) => `${shop} redeems goods`,
    switchTitle: 'The picked goods are not redeemed yet', switchBody: (count: number) => `${count} goods are picked and not confirmed. Switching to the card just scanned empties the basket.`,
    switchKeep: 'Stay with this resident', switchGo: 'Switch',
    restored: 'The basket from before the reload is back.',
    lowStockMark: 'low',
  },
};
