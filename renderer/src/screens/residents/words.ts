/** Words of registering a resident and replacing a card. Chinese first. */
export const residentWords = {
  zh: {
    registerTitle: '新居民登记', name: '姓名', phone: '手机号', building: '楼栋', room: '单元房号', birthDate: '出生日期（年-月-日）', flags: '情况',
    idNumber: '身份证号（可不填）', idNote: '身份证号联网核验，本机只留遮挡后的号码，打印件上从不出现。', submit: '登记并制卡', back: '返回',
    samePhoneTitle: (tail: string) => `手机尾号 ${tail} 已有居民登记`,
    samePhoneBody: '本机只存手机尾号，请核对下面的居民是不是同一人；是同一人请取消，用「找居民」找到 TA。',
    registerAnyway: '不是同一人，继续登记',
    phoneTakenTitle: (masked: string) => `手机号 ${masked} 已经登记过了`,
    phoneTakenBody: '下面的居民登记的就是这个手机号。是同一人请取消，用「找居民」找到 TA；家人共用一个手机号的，可以继续登记。',
    registered: (name: string, card: string) => `登记成功：${name}，卡号 ${card}。`, openResident: '为 TA 办理',
    replaceTitle: '确认补卡？', replaceBody: (card: string) => `补卡后，旧卡「${card}」立即停止使用，积分余额不变。`,
    replaced: (card: string) => `补卡成功，新卡号 ${card}，旧卡已停用。`,
    cardPrint: '居民卡',
  },
  en: {
    registerTitle: 'Register a resident', name: 'Name', phone: 'Mobile phone', building: 'Building', room: 'Unit and room', birthDate: 'Birth date (YYYY-MM-DD)', flags: 'Circumstances',
    idNumber: 'ID number (optional)', idNote: 'An ID number is checked with the server; this kiosk keeps it masked only, and it is never printed.', submit: 'Register and make the card', back: 'Back',
    samePhoneTitle: (tail: string) => `A resident with a phone ending ${tail} is registered`,
    samePhoneBody: 'This kiosk keeps only the last four digits: check whether the person below is the same; if so, cancel and find them with the search.',
    registerAnyway: 'Another person: register',
    phoneTakenTitle: (masked: string) => `The phone ${masked} is registered already`,
    phoneTakenBody: 'The resident below was registered with this very number. If it is the same person, cancel and find them with the search; family members sharing a phone may be registered.',
    registered: (name: string, card: string) => `Registered: ${name}, card ${card}.`, openResident: 'Serve this resident',
    replaceTitle: 'Replace the card?', replaceBody: (card: string) => `Card "${card}" stops working at once; the balance stays.`,
    replaced: (card: string) => `Card replaced: the new card is ${card}; the old one no longer works.`,
    cardPrint: 'Resident card',
  },
};
