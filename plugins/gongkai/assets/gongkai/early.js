// Runs in <head>, before the first paint, as a file: the Content-Security-Policy allows no inline
// script. Material's helpers (from its partials/javascripts/base.html; the scope is the site's root,
// which is two folders above this file), then the reader's 大字/高对比 choice (see prefs.js).
__md_scope=new URL("../../",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
try{var gkp=JSON.parse(localStorage.getItem("gongkai-prefs")||"{}");if(gkp.large)document.documentElement.classList.add("gk-large");if(gkp.contrast)document.documentElement.classList.add("gk-contrast")}catch(e){}
