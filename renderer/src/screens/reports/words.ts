import type { FigureCategory } from '../../../../core/index.js';

/** Words of the day summary and the month's figures. Chinese first. */
export const reportWords = {
  zh: {
    dayTitle: '日结', day: '日期', redemptions: '兑换笔数', spent: '兑出积分', awarded: '发放积分', received: '入库件数', unsynced: '未同步记录', goodsOut: '兑出商品',
    none: '无', printDay: '打印日结单', dayNote: '本柜台当天经办的记录（含还没同步的），冲正了的不计。',
    centreDay: '全中心当日积分（按账本，含本机未同步的）', backToFigures: '返回日结数字',
    monthTitle: '月度积分统计', month: '月份', category: '类别', issued: '发放积分', redeemed: '兑出/扣回积分', entries: '笔数', total: '合计', exportCsv: '导出本月 CSV', exportExcel: '导出本月 Excel', noData: '还没有积分流水。',
    exported: (file: string) => `已导出 ${file}。`,
    categories: { governance: '小区治理', civility: '文明帮创', reuse: '废旧利用', volunteering: '志愿服务', other: '其他', redemption: '兑换商品', shop: '商铺兑换', correction: '冲正与更正' } satisfies Record<FigureCategory, string>,
    csvHeader: ['月份', '类别', '发放积分', '兑出积分', '笔数'] as [string, string, string, string, string],
  },
  en: {
    dayTitle: 'Day summary', day: 'Day', redemptions: 'Redemptions', spent: 'Points spent', awarded: 'Points awarded', received: 'Items received', unsynced: 'Not yet synced', goodsOut: 'Goods out',
    none: 'none', printDay: 'Print the day summary', dayNote: 'What this counter did that day (entries not yet synced included); reversed entries do not count.',
    centreDay: 'The centre\'s points that day, from the ledger (this counter\'s unsynced entries included)', backToFigures: 'Back to the figures',
    monthTitle: 'Points by month', month: 'Month', category: 'Category', issued: 'Points issued', redeemed: 'Points redeemed or taken back', entries: 'Entries', total: 'Total', exportCsv: 'Export the month as CSV', exportExcel: 'Export the month as Excel', noData: 'No ledger entries yet.',
    exported: (file: string) => `${file} exported.`,
    categories: { governance: 'Neighbourhood', civility: 'Civility', reuse: 'Reuse', volunteering: 'Volunteering', other: 'Other', redemption: 'Goods redeemed', shop: 'At partner shops', correction: 'Reversals and corrections' } satisfies Record<FigureCategory, string>,
    csvHeader: ['Month', 'Category', 'Issued', 'Redeemed', 'Entries'] as [string, string, string, string, string],
  },
};
