/** Words of the catalogue and stock (商品、入库、盘点、价签). Chinese first. */
export const goodsWords = {
  zh: {
    title: '商品与库存', filter: '筛选商品', lowOnly: '只看库存不足', name: '名称', category: '分类', price: '积分价', stock: '库存', low: '库存低', lowMark: '预警线',
    add: '新增商品', barcode: '条码（可扫描；不填则由本机编码）', addDone: (name: string, code: string) => `已新增「${name}」，条码 ${code}。`,
    pick: '点选一件商品，或扫描商品条码', unknownCode: (code: string) => `条码 ${code} 还不是本店商品，可以新增。`,
    actions: { change: '改价/详情', stockIn: '入库', count: '盘点', label: '打印价签' },
    change: '保存修改', changed: '已保存修改，等待同步。',
    stockIn: '入库', source: '来源', sources: { purchase: '采购', donation: '捐赠', partnerShop: '爱心商铺' }, shop: '商铺', inDone: (n: number) => `已入库 ${n} 件。`,
    count: '盘点', expected: (n: number) => `账面库存 ${n} 件`, counted: '清点数量', countReason: '差异原因',
    countTitle: '确认盘点结果？', countBody: (expected: number, counted: number) => `账面 ${expected} 件，清点 ${counted} 件，差 ${counted - expected} 件。库存将按清点数量记账。`,
    countDone: (d: number) => (d === 0 ? '盘点一致。' : `已按清点数量记账，差 ${d} 件。`),
    labels: (n: number) => `打印选中商品的价签（${n}）`, select: '选', labelsTitle: '价签',
  },
  en: {
    title: 'Goods and stock', filter: 'Filter goods', lowOnly: 'Low stock only', name: 'Name', category: 'Category', price: 'Points', stock: 'Stock', low: 'low', lowMark: 'Low-stock mark',
    add: 'Add goods', barcode: 'Barcode (scan it; leave empty for a code of the store\'s own)', addDone: (name: string, code: string) => `"${name}" added, barcode ${code}.`,
    pick: 'Tap goods, or scan their barcode', unknownCode: (code: string) => `Barcode ${code} is not the store's yet: add the goods.`,
    actions: { change: 'Price & details', stockIn: 'Stock in', count: 'Count', label: 'Shelf label' },
    change: 'Save changes', changed: 'Changes saved, waiting to sync.',
    stockIn: 'Stock in', source: 'Source', sources: { purchase: 'Purchase', donation: 'Donation', partnerShop: 'Partner shop' }, shop: 'Shop', inDone: (n: number) => `${n} received into stock.`,
    count: 'Count', expected: (n: number) => `${n} on record`, counted: 'Counted', countReason: 'Reason for the difference',
    countTitle: 'Book this count?', countBody: (expected: number, counted: number) => `${expected} on record, ${counted} counted, a difference of ${counted - expected}. The stock becomes the count.`,
    countDone: (d: number) => (d === 0 ? 'The count agrees.' : `Stock set to the count, a difference of ${d}.`),
    labels: (n: number) => `Print labels of the ticked goods (${n})`, select: 'Tick', labelsTitle: 'Labels',
  },
};
