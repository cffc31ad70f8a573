import type { DonationCategory } from '../../../../core/index.js';

/** Words of taking in a donation (旧物捐赠). Chinese first. */
export const donationWords = {
  zh: {
    title: '旧物捐赠', donor: '捐赠人', donorHint: '扫捐赠人的居民卡，或找居民', changeDonor: '换捐赠人',
    items: '捐赠物品', addItem: '添加一类物品', category: '类别', condition: '成色', goods: '上架为', newGoods: '新商品', newName: '商品名称', newPrice: '积分价格',
    remove: '移除', noItems: '还没有添加物品。',
    categories: { books: '书籍', toys: '玩具', shoes: '鞋', clothes: '衣物', household: '家居用品', other: '其他' } satisfies Record<DonationCategory, string>,
    conditions: { good: '较新', fair: '一般' },
    each: (n: number) => `每件 ${n} 分`,
    proposed: (n: number, low: number, high: number) => `建议 ${n} 分（可在 ${low}–${high} 分之间调整，调整须写原因）`,
    points: '记给捐赠人的积分', reason: '调整原因', submit: '登记捐赠',
    confirmTitle: '确认登记捐赠？', confirmBody: (name: string, points: number, items: number) => `给 ${name} 记 ${points} 分，${items} 件物品上架。`,
    done: (points: number) => `已登记，捐赠人得 ${points} 分。`, labels: '新商品价签',
    pickDonor: '请先扫卡或找到捐赠人。',
  },
  en: {
    title: 'Donations', donor: 'Donor', donorHint: 'Scan the donor\'s resident card, or find them', changeDonor: 'Another donor',
    items: 'Donated items', addItem: 'Add a kind of item', category: 'Kind', condition: 'Condition', goods: 'On the shelf as', newGoods: 'New goods', newName: 'Goods name', newPrice: 'Point price',
    remove: 'Remove', noItems: 'No item added yet.',
    categories: { books: 'Books', toys: 'Toys', shoes: 'Shoes', clothes: 'Clothes', household: 'Household', other: 'Other' } satisfies Record<DonationCategory, string>,
    conditions: { good: 'Good', fair: 'Fair' },
    each: (n: number) => `${n} points each`,
    proposed: (n: number, low: number, high: number) => `Proposed ${n} points (from ${low} to ${high}; say why when it differs)`,
    points: 'Points for the donor', reason: 'Why they differ', submit: 'Take the donation in',
    confirmTitle: 'Take this donation in?', confirmBody: (name: string, points: number, items: number) => `${points} points for ${name}; ${items} items go on the shelf.`,
    done: (points: number) => `Taken in: the donor gets ${points} points.`, labels: 'Shelf labels of the new goods',
    pickDonor: 'Scan or find the donor first.',
  },
};
